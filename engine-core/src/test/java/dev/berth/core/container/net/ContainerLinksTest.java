package dev.berth.core.container.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLink;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 11: legacy links as moby's opts.ParseLink and daemon/links read and write them. */
class ContainerLinksTest {

  @Test
  void linksParseAsDockerdsParseLink() {
    assertEquals(new ContainerLink("db", "db", "db"), ContainerLink.parse("db"));
    assertEquals(new ContainerLink("db", "db", "database"), ContainerLink.parse("db:database"));
    assertEquals(new ContainerLink("db", "db", "database"), ContainerLink.parse("/db:/web/database"));
    assertEquals("bad format for links: a:b:c",
        assertThrows(InvalidArgumentException.class, () -> ContainerLink.parse("a:b:c")).getMessage());
    assertEquals("empty string specified for links",
        assertThrows(InvalidArgumentException.class, () -> ContainerLink.parse("")).getMessage());
    assertEquals("/db:/web/database", ContainerLinks.inspectForm(new ContainerName("web"),
        new ContainerLink("c".repeat(64), "db", "database")));
  }

  @Test
  void theEnvironmentIsMobysToEnvWithTcpFirstAndRangesBundled() {
    Container db = container("my-db", Set.of("81/tcp", "80/tcp", "53/udp", "90/tcp"),
        List.of("PATH=/bin", "HOME=/root", "SECRET=a=b", "BARE"));
    var linked = new ContainerLinks.Linked("/web/my-db", "my-db", db, "172.17.0.5");
    assertEquals(List.of(
        "MY_DB_PORT=tcp://172.17.0.5:80",
        "MY_DB_PORT_80_TCP=tcp://172.17.0.5:80", "MY_DB_PORT_80_TCP_ADDR=172.17.0.5", "MY_DB_PORT_80_TCP_PORT=80",
        "MY_DB_PORT_80_TCP_PROTO=tcp",
        "MY_DB_PORT_81_TCP=tcp://172.17.0.5:81", "MY_DB_PORT_81_TCP_ADDR=172.17.0.5", "MY_DB_PORT_81_TCP_PORT=81",
        "MY_DB_PORT_81_TCP_PROTO=tcp",
        // A range is written when the port after it breaks it, as moby's loop does.
        "MY_DB_PORT_90_TCP=tcp://172.17.0.5:90", "MY_DB_PORT_90_TCP_ADDR=172.17.0.5", "MY_DB_PORT_90_TCP_PORT=90",
        "MY_DB_PORT_90_TCP_PROTO=tcp",
        "MY_DB_PORT_80_TCP_START=tcp://172.17.0.5:80", "MY_DB_PORT_80_TCP_PORT_START=80",
        "MY_DB_PORT_80_TCP_END=tcp://172.17.0.5:81", "MY_DB_PORT_80_TCP_PORT_END=81",
        "MY_DB_PORT_53_UDP=udp://172.17.0.5:53", "MY_DB_PORT_53_UDP_ADDR=172.17.0.5", "MY_DB_PORT_53_UDP_PORT=53",
        "MY_DB_PORT_53_UDP_PROTO=udp",
        "MY_DB_NAME=/web/my-db",
        "MY_DB_ENV_SECRET=a=b"), linked.env());
    assertEquals("172.17.0.5\tmy-db dbhost", linked.hostsLine());
    assertEquals("172.17.0.5\tdb dbhost my-db", new ContainerLinks.Linked("/web/db", "db", db, "172.17.0.5")
        .hostsLine());
  }

  private static Container container(String name, Set<String> exposed, List<String> env) {
    var cfg = new ContainerConfig("busybox", null, List.of("sh"), env, "", "", "dbhost", "", Map.of(), false, false,
        false, false, true, true, "", null, exposed, Set.of(), null, null, null, false);
    return new Container(ContainerId.random(), new ContainerName(name), Instant.EPOCH,
        new ImageId(Digest.of("busybox".getBytes(StandardCharsets.UTF_8))), cfg, HostConfig.DEFAULT,
        ContainerState.Created.FRESH, 0);
  }

  @Test
  void aLinkersHostsLineTakesTheNewAddressAndTheRestStays(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    var hosts = dir.resolve("hosts");
    java.nio.file.Files.writeString(hosts, "127.0.0.1\tlocalhost\n172.17.0.2\tdb abc fid-db\n10.0.0.9\tmine\n");
    ContainerLinks.replaceHostsLine(hosts, "172.17.0.5\tdb abc fid-db");
    assertEquals("127.0.0.1\tlocalhost\n172.17.0.5\tdb abc fid-db\n10.0.0.9\tmine\n",
        java.nio.file.Files.readString(hosts));
  }
}
