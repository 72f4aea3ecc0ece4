package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.error.EngineException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Issue 11's rule: every HostConfig field berth reads it applies, or it refuses. Each field of
 * {@link ContainerJson.HostConfig} has a row here with a value a client sends: either the value
 * reaches the create request the engine acts on (what it does with it is each feature's own tests,
 * in the engine and through the docker CLI), or the create is refused. A field added to the wire
 * record without a row fails the build, as does a row whose value the translator drops.
 */
class EveryHostConfigFieldTest {

  private sealed interface Row {}

  /** Reaches the engine's create request. */
  private record Applied(String json) implements Row {}

  /** Refused at create with a message that contains {@code words}. */
  private record Refused(String json, String words) implements Row {}

  /** The client's alone (dockerd does nothing with it either). */
  private record ClientSide(String why) implements Row {}

  private static final Map<String, Row> ROWS = new LinkedHashMap<>();

  static {
    ROWS.put("Binds", new Applied("[\"/srv:/srv:ro\"]"));
    ROWS.put("ContainerIDFile", new ClientSide("the docker CLI writes the file"));
    ROWS.put("LogConfig", new Applied("{\"Type\":\"local\",\"Config\":{\"max-size\":\"1m\"}}"));
    ROWS.put("NetworkMode", new Applied("\"host\""));
    ROWS.put("PortBindings", new Applied("{\"80/tcp\":[{\"HostPort\":\"8080\"}]}"));
    ROWS.put("RestartPolicy", new Applied("{\"Name\":\"always\"}"));
    ROWS.put("AutoRemove", new Applied("true"));
    ROWS.put("VolumeDriver", new Applied("\"local\""));
    ROWS.put("VolumesFrom", new Applied("[\"data:ro\"]"));
    ROWS.put("ConsoleSize", new Applied("[24,80]"));
    ROWS.put("Annotations", new Applied("{\"org.example\":\"1\"}"));
    ROWS.put("CapAdd", new Applied("[\"NET_ADMIN\"]"));
    ROWS.put("CapDrop", new Applied("[\"MKNOD\"]"));
    ROWS.put("CgroupnsMode", new Applied("\"private\""));
    ROWS.put("Dns", new Applied("[\"10.0.0.53\"]"));
    ROWS.put("DnsOptions", new Applied("[\"ndots:2\"]"));
    ROWS.put("DnsSearch", new Applied("[\"example.com\"]"));
    ROWS.put("ExtraHosts", new Applied("[\"db:10.0.0.2\"]"));
    ROWS.put("GroupAdd", new Applied("[\"audio\"]"));
    ROWS.put("IpcMode", new Applied("\"shareable\""));
    ROWS.put("Cgroup", new Refused("\"container:x\"", "Cgroup"));
    ROWS.put("Links", new Applied("[\"db:database\"]"));
    ROWS.put("OomScoreAdj", new Applied("100"));
    ROWS.put("PidMode", new Applied("\"host\""));
    ROWS.put("Privileged", new Applied("true"));
    ROWS.put("PublishAllPorts", new Applied("true"));
    ROWS.put("ReadonlyRootfs", new Applied("true"));
    ROWS.put("SecurityOpt", new Applied("[\"no-new-privileges\"]"));
    ROWS.put("StorageOpt", new Refused("{\"size\":\"1G\"}", "--storage-opt is supported only for overlay over xfs"));
    ROWS.put("Tmpfs", new Applied("{\"/run\":\"size=1m\"}"));
    ROWS.put("UTSMode", new Applied("\"host\""));
    ROWS.put("UsernsMode", new Applied("\"host\""));
    ROWS.put("ShmSize", new Applied("1048576"));
    ROWS.put("Sysctls", new Applied("{\"net.ipv4.ip_forward\":\"1\"}"));
    ROWS.put("Runtime", new Applied("\"runc\""));
    ROWS.put("Isolation", new Refused("\"hyperv\"", "linux only supports 'default'"));
    ROWS.put("CpuShares", new Applied("512"));
    ROWS.put("Memory", new Applied("67108864"));
    ROWS.put("NanoCpus", new Applied("1000000000"));
    ROWS.put("CgroupParent", new Applied("\"mine\""));
    ROWS.put("BlkioWeight", new Applied("300"));
    ROWS.put("BlkioWeightDevice", new Applied("[{\"Path\":\"/dev/sda\",\"Weight\":200}]"));
    ROWS.put("BlkioDeviceReadBps", new Applied("[{\"Path\":\"/dev/sda\",\"Rate\":1048576}]"));
    ROWS.put("BlkioDeviceWriteBps", new Applied("[{\"Path\":\"/dev/sda\",\"Rate\":1048576}]"));
    ROWS.put("BlkioDeviceReadIOps", new Applied("[{\"Path\":\"/dev/sda\",\"Rate\":100}]"));
    ROWS.put("BlkioDeviceWriteIOps", new Applied("[{\"Path\":\"/dev/sda\",\"Rate\":100}]"));
    ROWS.put("CpuPeriod", new Applied("100000"));
    ROWS.put("CpuQuota", new Applied("50000"));
    ROWS.put("CpuRealtimePeriod", new Applied("1000000"));
    ROWS.put("CpuRealtimeRuntime", new Applied("950000"));
    ROWS.put("CpusetCpus", new Applied("\"0\""));
    ROWS.put("CpusetMems", new Applied("\"0\""));
    ROWS.put("Devices", new Applied("[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/n\","
        + "\"CgroupPermissions\":\"r\"}]"));
    ROWS.put("DeviceCgroupRules", new Applied("[\"c 1:3 mr\"]"));
    ROWS.put("DeviceRequests", new Refused("[{\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]",
        "could not select device driver"));
    ROWS.put("MemoryReservation", new Applied("33554432"));
    ROWS.put("MemorySwap", new Applied("134217728"));
    ROWS.put("MemorySwappiness", new Applied("10"));
    ROWS.put("OomKillDisable", new Applied("true"));
    ROWS.put("PidsLimit", new Applied("100"));
    ROWS.put("Ulimits", new Applied("[{\"Name\":\"nofile\",\"Soft\":512,\"Hard\":512}]"));
    ROWS.put("CpuCount", new Refused("2", "CPU count configuration is not supported on linux"));
    ROWS.put("CpuPercent", new Applied("50"));
    ROWS.put("IOMaximumIOps", new Refused("100", "QoS maximum IOPs configuration is not supported"));
    ROWS.put("IOMaximumBandwidth", new Refused("100", "QoS maximum bandwidth configuration is not supported"));
    ROWS.put("Mounts", new Applied("[{\"Type\":\"tmpfs\",\"Target\":\"/t\"}]"));
    ROWS.put("Init", new Applied("true"));
    ROWS.put("MaskedPaths", new Applied("[]"));
    ROWS.put("ReadonlyPaths", new Applied("[]"));
    ROWS.put("KernelMemoryTCP", new Applied("4096"));
  }

  @Test
  void networkDisabledLeavesTheContainerOnNoNetwork() {
    String body = "{\"Image\":\"busybox\",\"NetworkDisabled\":true}";
    var r = ContainerTranslator.createRequest(body.getBytes(StandardCharsets.UTF_8), "web");
    assertEquals("none", r.hostConfig().networkMode());
    String named = "{\"Image\":\"busybox\",\"NetworkDisabled\":true,\"HostConfig\":{\"NetworkMode\":\"app\"}}";
    var e = assertThrows(EngineException.class,
        () -> ContainerTranslator.createRequest(named.getBytes(StandardCharsets.UTF_8), "web"));
    assertEquals("conflicting options: NetworkDisabled and network app", e.getMessage());
  }

  private static ContainerCreateRequest create(String hostConfig) {
    String body = "{\"Image\":\"busybox\",\"HostConfig\":" + hostConfig + "}";
    return ContainerTranslator.createRequest(body.getBytes(StandardCharsets.UTF_8), "web");
  }

  @Test
  void everyFieldTheEngineReadsHasARow() {
    var fields = Arrays.stream(ContainerJson.HostConfig.class.getRecordComponents()).map(c -> c.getName())
        .collect(Collectors.toCollection(TreeSet::new));
    var missing = new TreeSet<>(fields);
    missing.removeAll(ROWS.keySet());
    assertTrue(missing.isEmpty(), "HostConfig fields neither applied nor refused (apply or refuse each, then "
        + "add its row here and its fact to openapi/generate.py): " + missing);
    var stale = new TreeSet<>(ROWS.keySet());
    stale.removeAll(fields);
    assertTrue(stale.isEmpty(), "rows for fields the engine does not read: " + stale);
  }

  @Test
  void eachAppliedFieldReachesTheEngineAndEachRefusedOneIsRefused() {
    ContainerCreateRequest plain = create("{}");
    for (var row : ROWS.entrySet()) {
      String field = row.getKey();
      switch (row.getValue()) {
        case Applied a -> assertNotEquals(plain, create("{\"" + field + "\":" + a.json() + "}"),
            field + " " + a.json() + " is read and then dropped");
        case Refused r -> {
          var e = assertThrows(EngineException.class, () -> create("{\"" + field + "\":" + r.json() + "}"),
              field + " " + r.json() + " is accepted");
          assertTrue(e.getMessage().contains(r.words()), field + ": " + e.getMessage());
        }
        case ClientSide c -> assertEquals(plain, create("{\"" + field + "\":\"x\"}"), field + ": " + c.why());
      }
    }
  }
}
