package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.Networking;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: /etc/hosts as libnetwork writes it, host-gateway included; resolv.conf once names are served. */
class ContainerFilesTest {

  @TempDir
  Path tmp;

  @Test
  void extraHostsFollowTheLocalNamesWithHostGatewayReplacedThenTheContainersAddress() throws Exception {
    var files = new ContainerFiles(tmp.resolve("resolv.conf"), tmp.resolve("hosts"), () -> List.of("172.17.0.1"));
    String hosts = files.hosts(container(List.of("host.docker.internal:host-gateway", "db:10.0.0.2")), false);
    assertEquals(String.join("\n", "127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback",
        "fe00::\tip6-localnet", "ff00::\tip6-mcastprefix", "ff02::1\tip6-allnodes", "ff02::2\tip6-allrouters",
        "172.17.0.1\thost.docker.internal", "10.0.0.2\tdb", "172.17.0.5\tweb1", ""), hosts);
  }

  @Test
  void hostNetworkingUsesTheHostsFileUnlessThereAreExtraHosts() throws Exception {
    Files.writeString(tmp.resolve("hosts"), "10.1.1.1\thostonly\n");
    var files = new ContainerFiles(tmp.resolve("resolv.conf"), tmp.resolve("hosts"), () -> List.of("172.17.0.1"));
    assertEquals("10.1.1.1\thostonly\n", files.hosts(container(List.of()), true));
    String withExtra = files.hosts(container(List.of("gw:host-gateway")), true);
    assertEquals(false, withExtra.contains("hostonly"));
    assertEquals(true, withExtra.contains("172.17.0.1\tgw\n"));
  }

  @Test
  void withoutAGatewayAddressHostGatewayFailsTheStartAsDockerd() {
    var files = new ContainerFiles(tmp.resolve("resolv.conf"), tmp.resolve("hosts"), List::of);
    assertEquals("unable to derive the IP value for host-gateway", assertThrows(InvalidArgumentException.class,
        () -> files.hosts(container(List.of("gw:host-gateway")), false)).getMessage());
  }

  @Test
  void joiningANetworkWithNamesPointsTheWrittenResolvConfAtTheEmbeddedServerInPlace() throws Exception {
    Files.writeString(tmp.resolve("resolv.conf"), "search example.org\nnameserver 10.0.0.1\n");
    var files = new ContainerFiles(tmp.resolve("resolv.conf"), tmp.resolve("hosts"), List::of);
    Path dir = Files.createDirectories(tmp.resolve("c"));
    Path resolv = files.write(dir, container(List.of()), false, false).resolvConf();
    assertEquals("search example.org\nnameserver 10.0.0.1\n", Files.readString(resolv));
    Object inode = Files.readAttributes(resolv, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

    files.useEmbeddedDns(dir, container(List.of()));
    assertEquals("search example.org\nnameserver 127.0.0.11\noptions ndots:0\n", Files.readString(resolv));
    assertEquals(inode, Files.readAttributes(resolv, java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
        "the bind-mounted file itself changes");
  }

  private static Container container(List<String> extraHosts) {
    var cfg = new ContainerConfig("busybox", null, List.of("sh"), List.of(), "", "", "web1", "", Map.of(), false,
        false, false, false, true, true, "", null, Set.of(), Set.of(), null, null, null, false);
    var hc = new HostConfig(false, "bridge", RestartPolicy.NO, 0, 0, false, false, null, null, extraHosts, null, null,
        null, null, null);
    var net = new Networking(Map.of("bridge", new Endpoint(new NetworkId("ab".repeat(32)), List.of(), "",
        new Endpoint.Attachment("e".repeat(64), "eth0", "172.17.0.5", 16, "172.17.0.1", "02:42:ac:11:00:05"))),
        List.of(), false, List.of());
    return new Container(ContainerId.random(), new ContainerName("web"), Instant.EPOCH,
        new ImageId(Digest.of("busybox".getBytes(StandardCharsets.UTF_8))), cfg, hc, ContainerState.Created.FRESH, 0)
        .withNetworking(net);
  }
}
