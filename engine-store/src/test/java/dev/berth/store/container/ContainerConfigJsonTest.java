package dev.berth.store.container;

import static dev.berth.store.ConfigJsonFixtures.assertSameDocument;
import static dev.berth.store.ConfigJsonFixtures.configJson;
import static dev.berth.store.ConfigJsonFixtures.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.MountType;
import dev.berth.core.container.model.NamespaceModes;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.SecurityOptions;
import dev.berth.core.container.model.StorageOptions;
import dev.berth.core.error.InternalException;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageId;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.Networking;
import dev.berth.core.network.PortBinding;
import dev.berth.store.ConfigJsonFixtures;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code containers.config_json} as earlier berths wrote it (issue 16): each fixture row reads as
 * the container it was written from, and what this berth writes has the same fields.
 */
class ContainerConfigJsonTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

  /** What {@code containers/v1-full.json} was written from: every field set, no two alike. */
  static final Container FULL = new Container(new ContainerId("e".repeat(64)), new ContainerName("shop-web-1"), T0,
      ImageId.parse("sha256:" + "f".repeat(64)),
      new ContainerConfig("registry.local:5000/app:1.2", List.of("/entry", "--flag"),
          List.of("run", "ünïcode \"quoted\""), List.of("PATH=/usr/bin", "A=b=c"), "/srv", "1000:1000", "web-1",
          "example.com", Map.of("com.example.team", "a"), true, true, true, false, true, true, "SIGTERM", 5,
          Set.of("80/tcp"), Set.of("/data"),
          new Healthcheck(List.of("CMD-SHELL", "curl -f localhost"), 30_000_000_000L, 5_000_000_000L,
              1_000_000_000L, 2_000_000_000L, 3),
          List.of("RUN echo"), List.of("/bin/bash", "-c"), true),
      new HostConfig(false, "shop_default", new RestartPolicy("on-failure", 3), 24, 80, false, true,
          List.of("NET_ADMIN"), List.of("MKNOD"), List.of("db:10.0.0.2"), List.of("1.1.1.1"), List.of("example.com"),
          List.of("ndots:2"), true,
          new Resources(67108864L, 134217728L, 33554432L, 512L, 100000L, 50000L, null, "0-1", "0", 100L, true, 10L,
              300, List.of(new Resources.WeightDevice("/dev/sda", 200)),
              List.of(new Resources.ThrottleDevice("/dev/sda", 1048576)), null, null,
              List.of(new Resources.ThrottleDevice("/dev/sdb", 20)), 1000000L, 950000L, null, 1048576L),
          new StorageOptions(List.of("data:/data", "/srv/conf:/etc/app:ro"),
              List.of(new MountRequest("volume", "cache", "/cache", true, "delegated",
                  new MountRequest.BindOptions("rslave", true, true, false, true),
                  new MountRequest.VolumeOptions(true, Map.of("tier", "fast"), "sub", "local", Map.of("type", "tmpfs")),
                  new MountRequest.TmpfsOptions(67108864, 0755, List.of(List.of("exec"), List.of("uid", "1000"))))),
              Map.of("/run", "size=1m"), List.of("base:ro"), 134217728, "local"),
          new SecurityConfig(List.of("no-new-privileges", "apparmor=custom", "label=disable"), "private",
              List.of("/proc/kcore"), List.of(),
              new SecurityOptions(true, "{\"defaultAction\":\"SCMP_ACT_LOG\"}", "custom", List.of("disable"), false)),
          new NamespaceModes("container:" + "a".repeat(64), "shareable", "", "host", "", "default",
              Map.of("org.example.k", "v")),
          new ProcessOptions(List.of(new ProcessOptions.Ulimit("nofile", 512, 1024)),
              orderedSysctls(), List.of(new ProcessOptions.DeviceMapping("/dev/null", "/dev/mynull", "r")),
              List.of("c 1:3 mr"), List.of("audio", "1234"), -200),
          new RuntimeOptions("marker", "/mine"), List.of()),
      ContainerState.Created.FRESH, 0,
      List.of(
          new MountPoint(MountType.VOLUME, "data", "/var/lib/berth/volumes/data/_data", "/data", "local", "z", true,
              "", false, true, false, false, null),
          new MountPoint(MountType.BIND, null, "/srv/conf", "/etc/app", null, "ro", false, "rprivate", false, false,
              true, true, null),
          new MountPoint(MountType.TMPFS, null, null, "/run", null, "", true, "", false, false, false, false,
              "size=1m")),
      new Networking(
          Map.of("shop_default", new Endpoint(new NetworkId("c".repeat(64)), List.of("web", "a1b2c3"), "172.18.0.9",
              new Endpoint.Attachment("d".repeat(64), "eth0", "172.18.0.9", 16, "172.18.0.1", "02:42:ac:12:00:09"))),
          List.of(new PortBinding(80, "tcp", "127.0.0.1", 8080, 8090)), true,
          List.of(new PortBinding(80, "tcp", "127.0.0.1", 8081))));

  /** What {@code containers/v1-defaults.json} was written from: nothing set that can be unset. */
  static final Container DEFAULTS = new Container(new ContainerId("1".repeat(64)), new ContainerName("min"), T0,
      ImageId.parse("sha256:" + "f".repeat(64)),
      new ContainerConfig("busybox", null, null, null, null, null, null, null, null, false, false, false, false, false,
          false, null, null, null, null, null, null, null, false),
      HostConfig.DEFAULT, ContainerState.Created.FRESH, 0);

  @TempDir
  Path dir;

  private Database db;
  private SqliteContainerRepository repo;

  @BeforeEach
  void open() {
    db = TestDatabases.migrated(dir);
    repo = new SqliteContainerRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRowWithEveryFieldSetReadsAsTheContainerItWasWrittenFrom() {
    assertEquals(FULL, readFixture("containers/v1-full.json", FULL.id(), "shop-web-1"));
  }

  @Test
  void aRowWithDefaultsKeepsItsNullsAndEmpties() {
    Container read = readFixture("containers/v1-defaults.json", DEFAULTS.id(), "min");

    assertEquals(DEFAULTS, read);
    assertNull(read.config().cmd());
    assertNull(read.config().healthcheck());
    assertNull(read.hostConfig().init());
    assertNull(read.hostConfig().security().maskedPaths());
    assertNull(read.hostConfig().security().options());
  }

  @Test
  void writesEveryFieldUnderTheNameRowsAlreadyHold() {
    repo.insert(FULL);
    repo.insert(DEFAULTS);

    assertSameDocument("containers/v1-full.json", configJson(db, "containers", "id", FULL.id().hex()));
    assertSameDocument("containers/v1-defaults.json", configJson(db, "containers", "id", DEFAULTS.id().hex()));
  }

  @Test
  void everyFieldRoundTrips() {
    repo.insert(FULL);
    Container running = FULL.withState(new ContainerState.Running(4242, 4241, 987654321L, T0.plusSeconds(1)))
        .withRestartCount(2);
    repo.update(running);

    assertEquals(running, repo.find(FULL.id()).orElseThrow());
  }

  private static Map<String, String> orderedSysctls() {
    var sysctls = new java.util.LinkedHashMap<String, String>();
    sysctls.put("net.ipv4.ip_forward", "1");
    sysctls.put("kernel.shmmax", "4096");
    return sysctls;
  }

  @Test
  void aRowFromBeforeProcessOptionsReadsWithNone() {
    assertEquals(ProcessOptions.NONE, readFixture("containers/v1-before-security.json", ContainerId.random(),
        "shop-web-1").hostConfig().process());
  }

  @Test
  void linksAndMacAddressesRoundTrip() {
    var endpoint = new Endpoint(new NetworkId("c".repeat(64)), List.of(), "", null, "02:42:ac:12:00:99",
        List.of("db:database"));
    Container linked = FULL.withHostConfig(FULL.hostConfig().withLinks(List.of(
            new dev.berth.core.container.model.ContainerLink("e".repeat(64), "db", "database"))))
        .withNetworking(FULL.networking().withEndpoint("shop_default", endpoint));
    repo.insert(linked);

    assertEquals(linked, repo.find(FULL.id()).orElseThrow());
  }

  /** Issue 13: a log driver and its options are kept; a row from before drivers reads as json-file. */
  @Test
  void logConfigRoundTrips() {
    Container logged = FULL.withHostConfig(FULL.hostConfig().withLogConfig(new dev.berth.core.logs.LogConfig(
        "local", java.util.Map.of("max-size", "10m", "max-file", "3"))));
    repo.insert(logged);

    assertEquals(logged, repo.find(FULL.id()).orElseThrow());
    assertEquals(dev.berth.core.logs.LogConfig.DEFAULT, FULL.hostConfig().logConfig());
  }

  @Test
  void ipv6AndLinkLocalAddressesRoundTrip() {
    var endpoint = new Endpoint(new NetworkId("c".repeat(64)), List.of(), "", new Endpoint.Attachment("d".repeat(64),
        "eth0", "172.18.0.9", 16, "172.18.0.1", "02:42:ac:12:00:09", "fd12:3456:789a:1::9", 64, "fd12:3456:789a:1::1"),
        "", List.of(), "fd12:3456:789a:1::9", List.of("169.254.1.1", "fe80::1"));
    Container c = FULL.withNetworking(FULL.networking().withEndpoint("shop_default", endpoint));
    repo.insert(c);

    assertEquals(c, repo.find(FULL.id()).orElseThrow());
  }

  @Test
  void aRowFromBeforeSecurityOptionsReadsAsItRan() {
    Container read = readFixture("containers/v1-before-security.json", ContainerId.random(), "shop-web-1");

    SecurityConfig security = read.hostConfig().security();
    assertEquals(SecurityConfig.NONE, security);
    assertEquals(NamespaceModes.NONE, read.hostConfig().namespaces(), "namespaces of its own (issue 11)");
    assertEquals("host", security.effectiveCgroupnsMode(), "it ran in the host's cgroup namespace");
    assertNull(security.maskedPaths(), "Docker's default masked paths");
    assertEquals(SecurityOptions.NONE, security.parsedOptions());
    // The rest reads as written.
    assertEquals("shop_default", read.hostConfig().networkMode());
    assertEquals(new RestartPolicy("unless-stopped", 0), read.hostConfig().restartPolicy());
    assertEquals(Resources.memory(268435456L), read.hostConfig().resources());
    assertEquals(new StorageOptions(List.of("data:/data", "/srv/conf:/etc/nginx/conf.d:ro"),
        List.of(new MountRequest("tmpfs", "", "/cache", false, "", null, null,
            new MountRequest.TmpfsOptions(67108864, 0, List.of(List.of("exec"))))),
        Map.of("/run", "size=1m"), List.of(), 134217728, ""), read.hostConfig().storage());
    assertEquals(List.of(
        new MountPoint(MountType.VOLUME, "data", "/var/lib/berth/volumes/data/_data", "/data", "local", "z", true, "",
            false, true, false, false, null),
        new MountPoint(MountType.BIND, null, "/srv/conf", "/etc/nginx/conf.d", null, "ro", false, "rprivate", false,
            false, false, true, null),
        new MountPoint(MountType.TMPFS, null, null, "/cache", null, "", true, "", false, false, false, false,
            "size=64m,exec")), read.mounts());
    assertEquals(new Networking(
        Map.of("shop_default", new Endpoint(new NetworkId("c".repeat(64)), List.of("web", "a1b2c3"), "",
            new Endpoint.Attachment("d".repeat(64), "eth0", "172.18.0.2", 16, "172.18.0.1", "02:42:ac:12:00:02"))),
        List.of(new PortBinding(80, "tcp", "", 8080, 8090)), false, List.of(new PortBinding(80, "tcp", "", 8080))),
        read.networking());
    assertEquals(new ContainerConfig("nginx:1.27", List.of("/docker-entrypoint.sh"),
        List.of("nginx", "-g", "daemon off;"),
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "NGINX_VERSION=1.27.0"), "", "",
        "web-1", "", Map.of("com.docker.compose.project", "shop"), false, false, false, false, true, true, "SIGQUIT",
        null, Set.of("80/tcp"), Set.of(), null, null, null, false), read.config());
  }

  @Test
  void aRowFromBeforeMountsAndNetworksReadsWithNoneOfEither() {
    Container read = readFixture("containers/v1-before-storage.json", ContainerId.random(), "web");

    assertEquals(List.of(), read.mounts());
    assertEquals(Networking.NONE, read.networking());
    assertEquals(StorageOptions.NONE, read.hostConfig().storage());
    assertEquals(SecurityConfig.NONE, read.hostConfig().security());
    assertEquals(new HostConfig(false, "default", new RestartPolicy("on-failure", 3), 24, 80, false, true,
        List.of("NET_ADMIN"), List.of("MKNOD"), List.of("db:10.0.0.2"), List.of("1.1.1.1"), List.of("example.com"),
        List.of("ndots:2"), true,
        new Resources(67108864L, 134217728L, null, 512L, null, null, 1500000000L, "0-1", null, 100L)),
        read.hostConfig());
    assertEquals(new ContainerConfig("busybox:1.36", List.of("/bin/sh", "-c"), List.of("sleep 1000"),
        List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=b"), "/srv", "1000:1000",
        "web-1", "", Map.of("com.example.team", "a"), true, true, false, false, true, true, "SIGTERM", 5,
        Set.of("80/tcp"), Set.of(), new Healthcheck(List.of("CMD-SHELL", "true"), 30_000_000_000L, 5_000_000_000L, 0,
            0, 3), null, null, false), read.config());
  }

  @Test
  void anOldRowWrittenBackKeepsWhatItSaidAndGainsTheNewFields() {
    for (String fixture : List.of("containers/v1-before-security.json", "containers/v1-before-storage.json")) {
      var id = ContainerId.random();
      Container old = readFixture(fixture, id, "c" + id.shortId());

      repo.update(old.withRestartCount(1));

      assertEquals(old.withRestartCount(1), repo.find(id).orElseThrow(), fixture);
      assertTrue(configJson(db, "containers", "id", id.hex()).contains("\"security\":{"), fixture);
    }
  }

  @Test
  void aValueTheCoreRefusesIsACorruptRowNotABadRequest() {
    repo.insert(DEFAULTS);
    exec(db, "UPDATE containers SET config_json = json_set(config_json, '$.hostConfig.restartPolicy.name', 'often')");

    var e = assertThrows(InternalException.class, () -> repo.find(DEFAULTS.id()));
    assertTrue(e.getMessage().startsWith("corrupt ContainerDocument in database: invalid restart policy"),
        e.getMessage());
  }

  @Test
  void anUnknownMountTypeIsACorruptRow() {
    repo.insert(FULL);
    exec(db, "UPDATE containers SET config_json = json_set(config_json, '$.mounts[0].type', 'volume')");

    var e = assertThrows(InternalException.class, () -> repo.find(FULL.id()));
    assertEquals("corrupt ContainerDocument in database: unknown mount type volume", e.getMessage());
  }

  /** Stores the fixture as the row of a created container, as the berth that wrote it did, and reads it. */
  private Container readFixture(String fixture, ContainerId id, String name) {
    exec(db, """
        INSERT INTO containers (id, name, image_id, created, status, exit_code, error, restart_count, config_json)
        VALUES (?, ?, ?, ?, 'created', 0, '', 0, ?)
        """, id.hex(), name, "sha256:" + "f".repeat(64), "2025-03-01T10:15:30.123456789Z",
        ConfigJsonFixtures.read(fixture));
    return repo.find(id).orElseThrow();
  }
}
