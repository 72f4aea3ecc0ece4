package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OciSpecBuilderTest {

  private static final ContainerId ID = new ContainerId("a".repeat(64));
  private static final HostLimits HOST = new HostLimits(
      Map.of("RLIMIT_NOFILE", 20000L, "RLIMIT_NPROC", 96365L, "RLIMIT_CORE", DockerDefaults.Rlimit.UNLIMITED),
      List.of("CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN"));

  private static final Path TINI = Path.of("/usr/bin/tini-static");

  private final OciSpecBuilder builder = new OciSpecBuilder(HOST, "/berth", Optional.of(TINI));

  private static ProcessSpec process(boolean terminal) {
    return new ProcessSpec(List.of("sh", "-c", "echo hi"), List.of("PATH=/bin", "HOSTNAME=web"), "/work", 1000, 1001,
        List.of(10, 20), terminal, true, true, 24, 80);
  }

  private static RunSpec spec(NetworkNamespace network, boolean privileged, boolean readonly, List<BindMount> mounts) {
    return spec(network, privileged, readonly, mounts, Resources.NONE, false);
  }

  private static RunSpec spec(NetworkNamespace network, boolean privileged, boolean readonly, List<BindMount> mounts,
      Resources resources, boolean init) {
    return new RunSpec(ID, Path.of("/var/lib/berth/containers/x/merged"), readonly, process(false), "web", "example.org",
        network, mounts, DockerDefaults.CAPABILITIES, privileged, Path.of("/tmp/ctr.log"), resources, init);
  }

  private static RunSpec withResources(Resources resources) {
    return spec(NetworkNamespace.PRIVATE, false, false, List.of(), resources, false);
  }

  private JsonNode json(RunSpec spec) throws Exception {
    return new ObjectMapper().readTree(builder.toJson(spec));
  }

  private static List<String> texts(JsonNode array) {
    var out = new ArrayList<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void processIsTheResolvedOne() throws Exception {
    JsonNode p = json(spec(NetworkNamespace.PRIVATE, false, false, List.of())).get("process");
    assertEquals(List.of("sh", "-c", "echo hi"), texts(p.get("args")));
    assertEquals(List.of("PATH=/bin", "HOSTNAME=web"), texts(p.get("env")));
    assertEquals("/work", p.get("cwd").asText());
    assertEquals(1000, p.at("/user/uid").asInt());
    assertEquals(1001, p.at("/user/gid").asInt());
    assertEquals(List.of("10", "20"), texts(p.at("/user/additionalGids")));
    assertFalse(p.get("terminal").asBoolean());
    assertTrue(p.get("consoleSize") == null, "no console size without a terminal");
    assertFalse(p.get("noNewPrivileges").asBoolean());
    for (String set : List.of("bounding", "effective", "permitted")) {
      assertEquals(DockerDefaults.CAPABILITIES, texts(p.at("/capabilities/" + set)), set);
    }
    assertTrue(p.at("/capabilities/inheritable").isMissingNode(), "Docker gives no inheritable capabilities");
  }

  @Test
  void aTerminalGetsItsInitialSize() throws Exception {
    var base = spec(NetworkNamespace.PRIVATE, false, false, List.of());
    var tty = new RunSpec(base.id(), base.rootfs(), false, process(true), "web", "", NetworkNamespace.PRIVATE, List.of(),
        base.capabilities(), false, base.logPath(), null, false);
    JsonNode p = json(tty).get("process");
    assertTrue(p.get("terminal").asBoolean());
    assertEquals(24, p.at("/consoleSize/height").asInt());
    assertEquals(80, p.at("/consoleSize/width").asInt());
  }

  @Test
  void rlimitsAreDockersClampedToTheHost() throws Exception {
    JsonNode limits = json(spec(NetworkNamespace.PRIVATE, false, false, List.of())).at("/process/rlimits");
    assertEquals(2, limits.size());
    assertEquals("RLIMIT_NOFILE", limits.get(0).get("type").asText());
    assertEquals(20000, limits.get(0).get("hard").asLong());
    assertEquals(20000, limits.get(0).get("soft").asLong());
    assertEquals("RLIMIT_NPROC", limits.get(1).get("type").asText());
    assertEquals(96365, limits.get(1).get("hard").asLong());
  }

  @Test
  void unlimitedStaysUnlimitedAsAnUnsignedNumber() throws Exception {
    var unlimitedHost = new HostLimits(Map.of(), List.of());
    JsonNode limits = new ObjectMapper().readTree(new OciSpecBuilder(unlimitedHost, "/berth", Optional.empty())
        .toJson(spec(NetworkNamespace.PRIVATE, false, false, List.of()))).at("/process/rlimits");
    assertEquals(1048576, limits.get(0).get("hard").asLong());
    assertEquals("18446744073709551615", limits.get(1).get("hard").bigIntegerValue().toString());
  }

  @Test
  void rootHostnameAndDomainname() throws Exception {
    JsonNode c = json(spec(NetworkNamespace.PRIVATE, false, true, List.of()));
    assertEquals("1.0.2", c.get("ociVersion").asText());
    assertEquals("/var/lib/berth/containers/x/merged", c.at("/root/path").asText());
    assertTrue(c.at("/root/readonly").asBoolean());
    assertEquals("web", c.get("hostname").asText());
    assertEquals("example.org", c.get("domainname").asText());
    assertEquals("example.org", c.at("/linux/sysctl/kernel.domainname").asText());
  }

  @Test
  void namespacesFollowTheNetworkChoice() throws Exception {
    JsonNode privNs = json(spec(NetworkNamespace.PRIVATE, false, false, List.of())).at("/linux/namespaces");
    JsonNode hostNs = json(spec(NetworkNamespace.HOST, false, false, List.of())).at("/linux/namespaces");
    assertEquals(List.of("pid", "ipc", "uts", "mount", "network"), texts(privNs.findValues("type")));
    assertEquals(List.of("pid", "ipc", "uts", "mount"), texts(hostNs.findValues("type")), "no entry: the host's network");
  }

  private static List<String> texts(List<JsonNode> nodes) {
    return nodes.stream().map(JsonNode::asText).toList();
  }

  @Test
  void cgroupsPathIsAbsoluteUnderTheParent() throws Exception {
    assertEquals("/berth/" + ID.hex(), json(spec(NetworkNamespace.PRIVATE, false, false, List.of())).at("/linux/cgroupsPath").asText());
    assertThrows(IllegalArgumentException.class, () -> new OciSpecBuilder(HOST, "berth", Optional.empty()));
  }

  @Test
  void mountsAreDockersThenTheBinds() throws Exception {
    var binds = List.of(new BindMount(Path.of("/data/hosts"), "/etc/hosts", false),
        new BindMount(Path.of("/data/vol"), "/vol", true));
    JsonNode mounts = json(spec(NetworkNamespace.PRIVATE, false, false, binds)).get("mounts");
    assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/etc/hosts", "/vol"),
        texts(mounts.findValues("destination")));
    assertEquals(List.of("nosuid", "noexec", "nodev", "ro"), texts(mounts.get(3).get("options")));
    assertTrue(texts(mounts.get(4).get("options")).contains("ro"));
    assertTrue(texts(mounts.get(6).get("options")).contains("size=65536k"), "64 MiB /dev/shm");
    assertEquals("tmpfs", mounts.get(6).get("type").asText());
    assertEquals("bind", mounts.get(7).get("type").asText());
    assertEquals("/data/hosts", mounts.get(7).get("source").asText());
    assertEquals(List.of("rbind", "rprivate"), texts(mounts.get(7).get("options")));
    assertEquals(List.of("rbind", "ro", "rprivate"), texts(mounts.get(8).get("options")));
  }

  @Test
  void userMountsReplaceDefaultsAndCarryPropagationAndTmpfsOptions() throws Exception {
    var spec = new RunSpec(ID, Path.of("/r"), false, process(false), "web", "", NetworkNamespace.PRIVATE, List.of(
        new TmpfsMount("/dev/shm", List.of("noexec", "nosuid", "nodev", "rprivate", "size=1m")),
        new BindMount(Path.of("/host/src"), "/src", false, "rshared", false),
        new TmpfsMount("/scratch", List.of("noexec", "nosuid", "nodev", "rprivate"))),
        DockerDefaults.CAPABILITIES, false, Path.of("/tmp/ctr.log"), Resources.NONE, false, 0);
    JsonNode mounts = json(spec).get("mounts");
    assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm", "/src",
        "/scratch"), texts(mounts.findValues("destination")));
    assertEquals("tmpfs", mounts.get(6).get("source").asText());
    assertEquals(List.of("noexec", "nosuid", "nodev", "rprivate", "size=1m"), texts(mounts.get(6).get("options")),
        "the user's /dev/shm, not the default");
    assertEquals(List.of("bind", "rshared"), texts(mounts.get(7).get("options")));
    assertEquals("tmpfs", mounts.get(8).get("type").asText());
  }

  @Test
  void shmSizeSetsTheDefaultDevShm() throws Exception {
    var spec = new RunSpec(ID, Path.of("/r"), false, process(false), "web", "", NetworkNamespace.PRIVATE, List.of(),
        DockerDefaults.CAPABILITIES, false, Path.of("/tmp/ctr.log"), Resources.NONE, false, 10L << 20);
    JsonNode shm = json(spec).get("mounts").get(6);
    assertTrue(texts(shm.get("options")).contains("size=10240k"), shm.toString());
  }

  @Test
  void unprivilegedGetsDockersMasksAndDeviceRules() throws Exception {
    JsonNode linux = json(spec(NetworkNamespace.PRIVATE, false, false, List.of())).get("linux");
    assertTrue(texts(linux.get("maskedPaths")).containsAll(DockerDefaults.MASKED_PATHS));
    assertEquals(DockerDefaults.READONLY_PATHS, texts(linux.get("readonlyPaths")));
    JsonNode devices = linux.at("/resources/devices");
    assertFalse(devices.get(0).get("allow").asBoolean(), "deny all first");
    assertTrue(devices.get(0).get("type") == null);
    assertEquals("rwm", devices.get(0).get("access").asText());
    assertTrue(devices.get(1).get("allow").asBoolean());
    assertEquals("c", devices.get(1).get("type").asText());
    assertEquals(1, devices.get(1).get("major").asInt());
    assertEquals(5, devices.get(1).get("minor").asInt());
    assertEquals(DockerDefaults.DEVICE_RULES.size(), devices.size());
  }

  @Test
  void privilegedGetsTheEnginesBoundingSetAllDevicesAndNoMasks() throws Exception {
    JsonNode c = json(spec(NetworkNamespace.PRIVATE, true, false, List.of()));
    assertEquals(HOST.boundingSet(), texts(c.at("/process/capabilities/bounding")));
    assertEquals(HOST.boundingSet(), texts(c.at("/process/capabilities/effective")));
    assertTrue(c.at("/linux/maskedPaths").isMissingNode());
    assertTrue(c.at("/linux/readonlyPaths").isMissingNode());
    JsonNode devices = c.at("/linux/resources/devices");
    assertEquals(1, devices.size());
    assertTrue(devices.get(0).get("allow").asBoolean());
    assertEquals("rwm", devices.get(0).get("access").asText());
    assertFalse(texts(c.get("mounts").get(3).get("options")).contains("ro"), "privileged /sys is writable");
  }

  @Test
  void initRunsTheCommandUnderDockerInitBoundReadOnly() throws Exception {
    var binds = List.of(new BindMount(Path.of("/data/vol"), "/vol", true));
    JsonNode c = json(spec(NetworkNamespace.PRIVATE, false, false, binds, Resources.NONE, true));
    assertEquals(List.of("/sbin/docker-init", "--", "sh", "-c", "echo hi"), texts(c.at("/process/args")));
    JsonNode mounts = c.get("mounts");
    JsonNode init = mounts.get(mounts.size() - 1);
    assertEquals("/sbin/docker-init", init.get("destination").asText());
    assertEquals("bind", init.get("type").asText());
    assertEquals(TINI.toString(), init.get("source").asText());
    assertEquals(List.of("bind", "ro"), texts(init.get("options")), "dockerd's options");
    assertEquals(List.of("sh", "-c", "echo hi"), texts(json(spec(NetworkNamespace.PRIVATE, false, false, binds))
        .at("/process/args")), "no init unless asked");
  }

  @Test
  void initWithoutAnInitBinaryIsRefused() {
    var noInit = new OciSpecBuilder(HOST, "/berth", Optional.empty());
    var e = assertThrows(InvalidArgumentException.class,
        () -> noInit.toJson(spec(NetworkNamespace.PRIVATE, false, false, List.of(), Resources.NONE, true)));
    assertTrue(e.getMessage().contains("docker-init"), e.getMessage());
  }

  @Test
  void noResourcesMeansNoLimitsBesideTheDevices() throws Exception {
    JsonNode resources = json(withResources(Resources.NONE)).at("/linux/resources");
    assertEquals(List.of("devices"), fieldNames(resources));
  }

  @Test
  void resourcesBecomeLinuxResourcesAsDockerdMapsThem() throws Exception {
    var r = new Resources(64L << 20, 128L << 20, 32L << 20, 512L, 50_000L, 25_000L, null, "0", "0", 100L);
    JsonNode resources = json(withResources(r)).at("/linux/resources");
    assertEquals(List.of("devices", "memory", "cpu", "pids"), fieldNames(resources));
    assertEquals(64L << 20, resources.at("/memory/limit").asLong());
    assertEquals(128L << 20, resources.at("/memory/swap").asLong());
    assertEquals(32L << 20, resources.at("/memory/reservation").asLong());
    assertEquals(512, resources.at("/cpu/shares").asLong());
    assertEquals(50_000, resources.at("/cpu/period").asLong());
    assertEquals(25_000, resources.at("/cpu/quota").asLong());
    assertEquals("0", resources.at("/cpu/cpus").asText());
    assertEquals("0", resources.at("/cpu/mems").asText());
    assertEquals(100, resources.at("/pids/limit").asLong());
  }

  @Test
  void swappinessOomBlockIoAndRealTimeBecomeLinuxResources() throws Exception {
    // /dev/null is a device on every host: 1:3.
    var r = new Resources(64L << 20, null, null, null, null, null, null, null, null, null, true, 10L, 300,
        List.of(new Resources.WeightDevice("/dev/null", 200)),
        List.of(new Resources.ThrottleDevice("/dev/null", 1048576)), null, null,
        List.of(new Resources.ThrottleDevice("/dev/null", 20)), 1_000_000L, 950_000L, null, 4096L);
    JsonNode resources = json(withResources(r)).at("/linux/resources");
    assertEquals(10, resources.at("/memory/swappiness").asLong());
    assertTrue(resources.at("/memory/disableOOMKiller").asBoolean());
    assertEquals(4096, resources.at("/memory/kernelTCP").asLong());
    assertEquals(1_000_000L, resources.at("/cpu/realtimePeriod").asLong());
    assertEquals(950_000L, resources.at("/cpu/realtimeRuntime").asLong());
    var mapper = new ObjectMapper();
    assertEquals(mapper.readTree("""
        {"weight":300,"weightDevice":[{"major":1,"minor":3,"weight":200}],
         "throttleReadBpsDevice":[{"major":1,"minor":3,"rate":1048576}],
         "throttleWriteIOPSDevice":[{"major":1,"minor":3,"rate":20}]}"""), resources.get("blockIO"));
  }

  @Test
  void aMissingDeviceFailsTheStartAsDockerdsStatDoes() {
    var r = new Resources(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        List.of(new Resources.ThrottleDevice("/dev/berth-no-such", 1)), null, null, null, null, null, null, null);
    var e = assertThrows(dev.berth.core.error.InternalException.class, () -> builder.toJson(withResources(r)));
    assertEquals("stat /dev/berth-no-such: no such file or directory", e.getMessage());
  }

  @Test
  void deviceNumbersAreDecodedAsGlibcDoes() {
    assertEquals(new OciSpecBuilder.BlockDevice(8, 0), OciSpecBuilder.BlockDevice.fromRdev(0x800));
    assertEquals(new OciSpecBuilder.BlockDevice(259, 1), OciSpecBuilder.BlockDevice.fromRdev(0x10301));
    assertEquals(new OciSpecBuilder.BlockDevice(8, 300), OciSpecBuilder.BlockDevice.fromRdev(0x10082c));
  }

  @Test
  void aContainersOwnCgroupParentPlacesItsCgroup() throws Exception {
    RunSpec plain = withResources(Resources.NONE);
    assertEquals("/berth/" + ID.hex(), json(plain).at("/linux/cgroupsPath").asText());
    RunSpec placed = plain.withPlacement(new RunSpec.Placement("", "/mine/sub"));
    assertEquals("/mine/sub/" + ID.hex(), json(placed).at("/linux/cgroupsPath").asText());
  }

  @Test
  void cpusBecomeAQuotaOverAHundredMillisecondPeriod() throws Exception {
    var r = new Resources(null, null, null, null, null, null, 1_500_000_000L, null, null, null);
    JsonNode cpu = json(withResources(r)).at("/linux/resources/cpu");
    assertEquals(100_000, cpu.get("period").asLong());
    assertEquals(150_000, cpu.get("quota").asLong());
    assertEquals(List.of("quota", "period"), fieldNames(cpu));
  }

  @Test
  void updatesCarryOnlyWhatChanges() throws Exception {
    var mapper = new ObjectMapper();
    assertEquals(mapper.readTree("{\"memory\":{\"limit\":67108864,\"swap\":-1},\"pids\":{\"limit\":-1}}"),
        mapper.readTree(builder.resourcesJson(new Resources(64L << 20, -1L, null, null, null, null, null, null, null, 0L))));
    assertEquals(mapper.readTree("{}"), mapper.readTree(builder.resourcesJson(Resources.NONE)));
  }

  @Test
  void anExecTakesTheCapabilitiesTheContainersConfigGrants() throws Exception {
    assertEquals(DockerDefaults.CAPABILITIES,
        OciSpecBuilder.confinement(builder.toJson(spec(NetworkNamespace.PRIVATE, false, false, List.of())))
            .capabilities(),
        "an exec inherits what the container's config.json grants");
  }

  private static final dev.berth.core.seccomp.SeccompProfile.Host AMD64 =
      new dev.berth.core.seccomp.SeccompProfile.Host("amd64", new dev.berth.core.seccomp.KernelVersion(6, 1));

  private static RunSpec secured(boolean privileged, RunSecurity security) {
    var base = spec(NetworkNamespace.PRIVATE, privileged, false, List.of());
    return new RunSpec(base.id(), base.rootfs(), false, base.process(), "web", "", NetworkNamespace.PRIVATE,
        List.of(), DockerDefaults.CAPABILITIES, privileged, base.logPath(), Resources.NONE, false, 0, security);
  }

  @Test
  void theSeccompProfileIsResolvedForTheCapabilitiesTheProcessGets() throws Exception {
    var builder = new OciSpecBuilder(HOST, "/berth", Optional.empty(), AMD64);
    var security = new RunSecurity(dev.berth.core.seccomp.SeccompProfile.builtin(), false, "", false, null, null,
        null);
    JsonNode plain = new ObjectMapper().readTree(builder.toJson(secured(false, security)));
    JsonNode seccomp = plain.at("/linux/seccomp");
    assertEquals("SCMP_ACT_ERRNO", seccomp.get("defaultAction").asText());
    assertEquals(1, seccomp.get("defaultErrnoRet").asInt());
    assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), texts(seccomp.get("architectures")));
    assertFalse(seccomp.has("flags"));
    assertFalse(seccomp.toString().contains("\"unshare\""), "no CAP_SYS_ADMIN in Docker's default set");
    // A privileged container with an explicit profile: resolved against the engine's bounding set.
    JsonNode privileged = new ObjectMapper().readTree(builder.toJson(secured(true, security)));
    assertTrue(privileged.at("/linux/seccomp").toString().contains("\"unshare\""));
    assertTrue(new ObjectMapper().readTree(builder.toJson(secured(false, RunSecurity.NONE))).at("/linux/seccomp")
        .isMissingNode(), "unconfined: no filter at all");

    byte[] config = builder.toJson(secured(false, security));
    var filter = OciSpecBuilder.confinement(config).seccomp().orElseThrow();
    assertEquals(dev.berth.core.seccomp.Seccomp.fromJson(seccomp), filter);
    assertEquals(Optional.empty(), OciSpecBuilder.confinement(builder.toJson(secured(false, RunSecurity.NONE))).seccomp());
  }

  @Test
  void aRuntimeThatLoadsTheFilterCompiledGetsTheSameFilterCompiled() throws Exception {
    var builder = new OciSpecBuilder(HOST, "/berth", Optional.empty(), AMD64);
    var security = new RunSecurity(dev.berth.core.seccomp.SeccompProfile.builtin(), false, "", false, null, null,
        null);
    var compiled = new java.util.ArrayList<dev.berth.core.seccomp.Seccomp>();
    byte[] program = {1, 2, 3, 4, 5, 6, 7, 8};
    JsonNode c = new ObjectMapper().readTree(builder.toJson(secured(false, security), f -> {
      compiled.add(f);
      return new dev.berth.core.os.ContainerSpawn.SeccompProgram(0, program);
    }));
    assertEquals(List.of(dev.berth.core.seccomp.Seccomp.fromJson(c.at("/linux/seccomp"))), compiled,
        "the filter of linux.seccomp, as exec compiles it");
    assertEquals(java.util.Base64.getEncoder().encodeToString(program),
        c.at("/annotations/run.oci.seccomp_bpf_data").asText());
    JsonNode unconfined = new ObjectMapper().readTree(builder.toJson(secured(false, RunSecurity.NONE), f -> {
      throw new AssertionError("nothing to compile");
    }));
    assertTrue(unconfined.at("/annotations").isMissingNode());
  }

  @Test
  void noNewPrivilegesAppArmorAndTheCgroupNamespace() throws Exception {
    var security = new RunSecurity(null, true, "berth-default", true, null, null, null);
    byte[] config = builder.toJson(secured(false, security));
    JsonNode c = new ObjectMapper().readTree(config);
    assertTrue(c.at("/process/noNewPrivileges").asBoolean());
    assertTrue(OciSpecBuilder.confinement(config).noNewPrivileges());
    assertFalse(OciSpecBuilder.confinement(builder.toJson(secured(false, RunSecurity.NONE))).noNewPrivileges());
    assertEquals("berth-default", c.at("/process/apparmorProfile").asText());
    assertEquals(Optional.of("berth-default"), OciSpecBuilder.confinement(config).appArmorProfile());
    var types = new ArrayList<String>();
    c.at("/linux/namespaces").forEach(n -> types.add(n.get("type").asText()));
    assertEquals(List.of("pid", "ipc", "uts", "mount", "cgroup", "network"), types);
    JsonNode plain = new ObjectMapper().readTree(builder.toJson(secured(false, RunSecurity.NONE)));
    assertTrue(plain.at("/process/apparmorProfile").isMissingNode());
    var plainTypes = new ArrayList<String>();
    plain.at("/linux/namespaces").forEach(n -> plainTypes.add(n.get("type").asText()));
    assertFalse(plainTypes.contains("cgroup"), "CgroupnsMode host: the host's cgroup namespace");
  }

  @Test
  void maskedAndReadonlyPathsAsHostConfigSaysAndWritableCgroups() throws Exception {
    JsonNode none = json(secured(false, new RunSecurity(null, false, "", false, List.of(), List.of(), null)));
    assertTrue(none.at("/linux/maskedPaths").isMissingNode(), "[]: nothing masked");
    assertTrue(none.at("/linux/readonlyPaths").isMissingNode());
    JsonNode own = json(secured(true, new RunSecurity(null, false, "", false, List.of("/proc/kcore"),
        List.of("/proc/sys"), false)));
    assertEquals(List.of("/proc/kcore"), texts(own.at("/linux/maskedPaths")), "a list applies even when privileged");
    assertEquals(List.of("/proc/sys"), texts(own.at("/linux/readonlyPaths")));
    JsonNode cgroupMount = null;
    for (JsonNode m : own.get("mounts")) {
      if (m.get("destination").asText().equals("/sys/fs/cgroup")) {
        cgroupMount = m;
      }
    }
    assertTrue(texts(cgroupMount.get("options")).contains("ro"), "writable-cgroups=false wins over privileged");
    JsonNode writable = json(secured(false, new RunSecurity(null, false, "", false, null, null, true)));
    for (JsonNode m : writable.get("mounts")) {
      if (m.get("destination").asText().equals("/sys/fs/cgroup")) {
        assertTrue(texts(m.get("options")).contains("rw"));
      }
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    var names = new ArrayList<String>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
