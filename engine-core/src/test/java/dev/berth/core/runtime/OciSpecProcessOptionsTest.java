package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Issue 11: Ulimits, Sysctls, Devices, DeviceCgroupRules and OomScoreAdj in the OCI spec. */
class OciSpecProcessOptionsTest {

  private static final ContainerId ID = new ContainerId("b".repeat(64));
  private static final HostLimits HOST = new HostLimits(Map.of("RLIMIT_NOFILE", 20000L), List.of("CAP_CHOWN"));
  private final OciSpecBuilder builder = new OciSpecBuilder(HOST, "/berth", Optional.empty());

  private static RunSpec spec(boolean privileged, String domainname, RunProcessOptions options) {
    var process = new ProcessSpec(List.of("true"), List.of(), "/", 0, 0, List.of(), false, false, false, 0, 0);
    return new RunSpec(ID, Path.of("/rootfs"), false, process, "web", domainname, NetworkNamespace.PRIVATE, List.of(),
        DockerDefaults.CAPABILITIES, privileged, Path.of("/tmp/log"), Resources.NONE, false, 0, RunSecurity.NONE)
        .withProcessOptions(options);
  }

  private JsonNode json(RunSpec spec) throws Exception {
    return new ObjectMapper().readTree(builder.toJson(spec));
  }

  private static List<String> rlimits(JsonNode config) {
    var out = new ArrayList<String>();
    config.at("/process/rlimits").forEach(r -> out.add(r.get("type").asText() + "=" + r.get("soft").asText() + ":"
        + r.get("hard").asText()));
    return out;
  }

  @Test
  void withoutOptionsTheDefaultsAndScoreZeroApply() throws Exception {
    JsonNode c = json(spec(false, "", RunProcessOptions.NONE));
    assertEquals(List.of("RLIMIT_NOFILE=20000:20000", "RLIMIT_NPROC=18446744073709551615:18446744073709551615"),
        rlimits(c));
    assertEquals(0, c.at("/process/oomScoreAdj").asInt(), "moby WithOOMScore always sets it");
    assertTrue(c.at("/linux/sysctl").isMissingNode());
    assertTrue(c.at("/linux/devices").isMissingNode());
  }

  @Test
  void ulimitsReplaceTheDefaultOfTheirTypeUnclamped() throws Exception {
    var options = new RunProcessOptions(List.of(new DockerDefaults.Rlimit("RLIMIT_NOFILE", 512, 1048576),
        new DockerDefaults.Rlimit("RLIMIT_CORE", -1, -1)), null, null, null, 0);
    assertEquals(List.of("RLIMIT_NPROC=18446744073709551615:18446744073709551615", "RLIMIT_NOFILE=512:1048576",
        "RLIMIT_CORE=18446744073709551615:18446744073709551615"), rlimits(json(spec(false, "", options))));
  }

  @Test
  void sysctlsMergeOverTheDomainname() throws Exception {
    var sysctls = new LinkedHashMap<String, String>();
    sysctls.put("net.ipv4.ip_forward", "1");
    sysctls.put("kernel.domainname", "override.org");
    JsonNode c = json(spec(false, "example.org", new RunProcessOptions(null, sysctls, null, null, 0)));
    assertEquals("1", c.at("/linux/sysctl/net.ipv4.ip_forward").asText());
    assertEquals("override.org", c.at("/linux/sysctl/kernel.domainname").asText());
  }

  @Test
  void devicesAreMadeAndAllowedAfterTheDefaults() throws Exception {
    var node = new DeviceNode("/dev/mynull", "c", 1, 3, 0666, 0, 0);
    var rule = new DockerDefaults.DeviceRule(true, "c", null, null, "m");
    JsonNode c = json(spec(false, "", new RunProcessOptions(null, null, List.of(node), List.of(node.rule("r"), rule),
        -500)));
    JsonNode d = c.at("/linux/devices/0");
    assertEquals("/dev/mynull", d.get("path").asText());
    assertEquals("c", d.get("type").asText());
    assertEquals(1, d.get("major").asInt());
    assertEquals(3, d.get("minor").asInt());
    assertEquals(0666, d.get("fileMode").asInt());
    JsonNode rules = c.at("/linux/resources/devices");
    int n = rules.size();
    assertEquals(DockerDefaults.DEVICE_RULES.size() + 2, n);
    assertEquals("{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"r\"}", rules.get(n - 2).toString());
    assertEquals("{\"allow\":true,\"type\":\"c\",\"access\":\"m\"}", rules.get(n - 1).toString());
    assertEquals(-500, c.at("/process/oomScoreAdj").asInt());
  }

  @Test
  void aPrivilegedContainersRulesAllowEverything() throws Exception {
    var node = new DeviceNode("/dev/mynull", "c", 1, 3, 0666, 0, 0);
    JsonNode c = json(spec(true, "", new RunProcessOptions(null, null, List.of(node), List.of(node.rule("r")), 0)));
    assertEquals(1, c.at("/linux/resources/devices").size());
    assertEquals("/dev/mynull", c.at("/linux/devices/0/path").asText());
  }

  @Test
  void anExecReadsTheContainersRlimitsAndScore() throws Exception {
    var options = new RunProcessOptions(List.of(new DockerDefaults.Rlimit("RLIMIT_NOFILE", 512, 512)), null, null,
        null, 300);
    var confinement = OciSpecBuilder.confinement(builder.toJson(spec(false, "", options)));
    assertEquals(OptionalInt.of(300), confinement.oomScoreAdj());
    assertEquals(List.of(new DockerDefaults.Rlimit("RLIMIT_NPROC", -1, -1),
        new DockerDefaults.Rlimit("RLIMIT_NOFILE", 512, 512)), confinement.rlimits());
  }

  @Test
  void aMissingHostDeviceIsRefusedInDockerdsWords() {
    var e = assertThrows(InvalidArgumentException.class, () -> HostDevices.fromPath("/dev/berth-nope", "/dev/x"));
    assertEquals("error gathering device information while adding custom device \"/dev/berth-nope\": no such file "
        + "or directory", e.getMessage());
    assertEquals("error gathering device information while adding custom device \"\": no such file or directory",
        assertThrows(InvalidArgumentException.class, () -> HostDevices.fromPath("", "/dev/x")).getMessage());
    var notDevice = assertThrows(InvalidArgumentException.class, () -> HostDevices.fromPath("/etc/hostname", "/x"));
    assertEquals("error gathering device information while adding custom device \"/etc/hostname\": not a device node",
        notDevice.getMessage());
  }

  @Test
  void aHostDeviceIsReadAsItIs() {
    assertEquals(List.of(new DeviceNode("/dev/mynull", "c", 1, 3, 0666, 0, 0)),
        HostDevices.fromPath("/dev/null", "/dev/mynull"));
  }

  @Test
  void majorAndMinorAreGlibcs() {
    long dev = (259L << 8) | 0x45 | ((0x12345L & ~0xffL) << 12);
    assertEquals(259, HostDevices.major(dev));
    assertEquals(0x12345, HostDevices.minor(dev));
  }
}
