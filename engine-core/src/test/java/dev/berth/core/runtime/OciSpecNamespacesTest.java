package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 11: the shared namespaces, /dev/shm and annotations in config.json (moby WithNamespaces, withMounts). */
class OciSpecNamespacesTest {

  private static final ContainerId ID = new ContainerId("b".repeat(64));
  private final OciSpecBuilder builder = new OciSpecBuilder(
      new HostLimits(Map.of(), List.of("CAP_CHOWN")), "/berth", Optional.of(Path.of("/usr/bin/tini")));

  private static RunSpec spec(RunNamespaces namespaces, Map<String, String> annotations, List<RunMount> mounts) {
    var process = new ProcessSpec(List.of("sh"), List.of(), "/", 0, 0, List.of(), false, false, false, 0, 0);
    return new RunSpec(ID, Path.of("/rootfs"), false, process, "web", "example.org", NetworkNamespace.PRIVATE,
        mounts, List.of("CAP_CHOWN"), false, Path.of("/log"), Resources.NONE, false, 8L << 20, RunSecurity.NONE,
        namespaces, annotations, RunProcessOptions.NONE, RunSpec.Placement.DEFAULT);
  }

  private JsonNode json(RunSpec spec) throws Exception {
    return new ObjectMapper().readTree(builder.toJson(spec));
  }

  private static Map<String, String> namespaces(JsonNode config) {
    var out = new java.util.LinkedHashMap<String, String>();
    config.at("/linux/namespaces").forEach(n -> out.put(n.get("type").asText(), n.path("path").asText("")));
    return out;
  }

  private static List<JsonNode> shm(JsonNode config) {
    var out = new ArrayList<JsonNode>();
    config.get("mounts").forEach(m -> {
      if (m.get("destination").asText().equals("/dev/shm")) {
        out.add(m);
      }
    });
    return out;
  }

  @Test
  void byDefaultEveryNamespaceIsNewAndShmIsAPrivateTmpfs() throws Exception {
    JsonNode c = json(spec(RunNamespaces.PRIVATE, Map.of(), List.of()));
    assertEquals(Map.of("pid", "", "ipc", "", "uts", "", "mount", "", "network", ""), namespaces(c));
    assertEquals("web", c.get("hostname").asText());
    assertEquals("tmpfs", shm(c).getFirst().get("type").asText());
    assertTrue(shm(c).getFirst().get("options").toString().contains("size=8192k"));
    assertTrue(c.get("annotations") == null, "none given, none written");
  }

  @Test
  void theHostsNamespacesAreLeftOutAndAHostUtsSetsNoNames() throws Exception {
    JsonNode c = json(spec(new RunNamespaces(SharedNamespace.HOST, SharedNamespace.HOST, true,
        new RunNamespaces.Shm.Bind(Path.of("/dev/shm"))), Map.of(), List.of()));
    assertEquals(List.of("mount", "network"), List.copyOf(namespaces(c).keySet()));
    assertTrue(c.get("hostname") == null && c.get("domainname") == null, c.toString());
    assertTrue(c.at("/linux/sysctl/kernel.domainname").isMissingNode(), "runc refuses it in the host's UTS namespace");
    JsonNode m = shm(c).getFirst();
    assertEquals("bind /dev/shm [\"rbind\",\"rprivate\"]",
        m.get("type").asText() + " " + m.get("source").asText() + " " + m.get("options"));
  }

  @Test
  void anotherContainersNamespacesAreJoinedByPath() throws Exception {
    JsonNode c = json(spec(new RunNamespaces(SharedNamespace.join(Path.of("/proc/42/ns/pid")),
        SharedNamespace.join(Path.of("/proc/43/ns/ipc")), false,
        new RunNamespaces.Shm.Bind(Path.of("/data/containers/x/shm"))), Map.of(), List.of()));
    assertEquals("/proc/42/ns/pid", namespaces(c).get("pid"));
    assertEquals("/proc/43/ns/ipc", namespaces(c).get("ipc"));
    assertEquals("/data/containers/x/shm", shm(c).getFirst().get("source").asText());
  }

  @Test
  void ipcNoneHasNoShmAndAUserMountWins() throws Exception {
    assertEquals(List.of(), shm(json(spec(new RunNamespaces(null, null, false, new RunNamespaces.Shm.None()),
        Map.of(), List.of()))));
    List<JsonNode> own = shm(json(spec(new RunNamespaces(null, null, false,
        new RunNamespaces.Shm.Bind(Path.of("/dev/shm"))), Map.of(),
        List.of(new TmpfsMount("/dev/shm", List.of("size=1m"))))));
    assertEquals(1, own.size());
    assertEquals("tmpfs", own.getFirst().get("type").asText());
  }

  @Test
  void annotationsAreWritten() throws Exception {
    JsonNode c = json(spec(RunNamespaces.PRIVATE, Map.of("b", "2", "a", "1"), List.of()));
    assertEquals("{\"a\":\"1\",\"b\":\"2\"}", c.get("annotations").toString());
  }
}
