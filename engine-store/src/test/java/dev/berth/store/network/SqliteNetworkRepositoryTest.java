package dev.berth.store.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.IpamPool;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkId;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteNetworkRepositoryTest {

  @TempDir
  Path dir;

  private Database db;
  private SqliteNetworkRepository repo;

  @BeforeEach
  void open() {
    db = TestDatabases.migrated(dir);
    repo = new SqliteNetworkRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aNetworkReadsBackExactlyAsItWasCreated() {
    Network n = network("accnet");
    repo.insert(n);
    assertEquals(n, repo.find(n.id()).orElseThrow());
    assertEquals(n, repo.findByName("accnet").orElseThrow());
    assertEquals(List.of(n), repo.findByIdPrefix(n.id().hex().substring(0, 5)));
  }

  @Test
  void aNameIsKnownWithoutItsNetwork() {
    repo.insert(network("known"));
    assertTrue(repo.existsByName("known"));
    assertFalse(repo.existsByName("unknown"));
  }

  @Test
  void namesAreUnique() {
    repo.insert(network("dup"));
    var e = assertThrows(ConflictException.class, () -> repo.insert(network("dup")));
    assertEquals("network with name dup already exists", e.getMessage());
  }

  @Test
  void listIsByNameAndDeleteRemoves() {
    Network b = network("b-net");
    repo.insert(b);
    repo.insert(network("a-net"));
    assertEquals(List.of("a-net", "b-net"), repo.list().stream().map(Network::name).toList());
    repo.delete(b.id());
    repo.delete(b.id());
    assertTrue(repo.findByName("b-net").isEmpty());
  }

  @Test
  void lookupsReadTheTableOnceUntilTheRepositoryWritesAgain() {
    Network n = network("kept");
    repo.insert(n);
    assertEquals(n, repo.findByName("kept").orElseThrow());
    // Behind the repository's back, which nothing in berthd does: the table as read is what it answers from.
    db.writeVoid(c -> c.createStatement().executeUpdate("UPDATE networks SET name = 'renamed'"));
    assertEquals(n, repo.find(n.id()).orElseThrow());
    assertEquals(List.of("kept"), repo.list().stream().map(Network::name).toList());

    repo.insert(network("other"));
    assertEquals(List.of("other", "renamed"), repo.list().stream().map(Network::name).toList());
    assertEquals("renamed", repo.find(n.id()).orElseThrow().name());
    assertTrue(repo.findByName("kept").isEmpty());
    assertThrows(ConflictException.class, () -> repo.insert(network("other")));
    repo.delete(n.id());
    assertTrue(repo.find(n.id()).isEmpty());
  }

  @Test
  void anIdPrefixMustBeHex() {
    assertThrows(InvalidArgumentException.class, () -> repo.findByIdPrefix("a%"));
  }

  private static Network network(String name) {
    return new Network(NetworkId.random(), name, "bridge", Instant.parse("2025-01-02T03:04:05.123456789Z"), true,
        false, "default", List.of(new IpamPool("172.20.0.0/16", "172.20.0.1", "172.20.5.0/24")), Map.of("x", "y"),
        Map.of("com.docker.network.bridge.name", "br0"), Map.of("team", "a"), "br-" + name);
  }
}
