package dev.berth.store.network;

import static dev.berth.store.ConfigJsonFixtures.assertSameDocument;
import static dev.berth.store.ConfigJsonFixtures.configJson;
import static dev.berth.store.ConfigJsonFixtures.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.network.IpamPool;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkId;
import dev.berth.store.ConfigJsonFixtures;
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

/** {@code networks.config_json} as earlier berths wrote it (issue 16). */
class NetworkConfigJsonTest {

  /** What {@code networks/v1-full.json} was written from. */
  private static final Network SHOP = new Network(new NetworkId("c".repeat(64)), "shop_default", "bridge",
      Instant.parse("2025-03-01T10:15:30.123456789Z"), true, true, "default",
      List.of(new IpamPool("172.18.0.0/16", "172.18.0.1", "172.18.5.0/24")), Map.of("x", "y"),
      Map.of("com.docker.network.bridge.name", "br-shop"), Map.of("com.docker.compose.network", "default"),
      "br-shop");

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
  void aRowReadsAsTheNetworkItWasWrittenFrom() {
    exec(db, "INSERT INTO networks (id, name, driver, created, config_json) VALUES (?, ?, 'bridge', ?, ?)",
        SHOP.id().hex(), SHOP.name(), "2025-03-01T10:15:30.123456789Z",
        ConfigJsonFixtures.read("networks/v1-full.json"));

    assertEquals(SHOP, repo.find(SHOP.id()).orElseThrow());
  }

  @Test
  void writesEveryFieldUnderTheNameRowsAlreadyHold() {
    repo.insert(SHOP);

    assertSameDocument("networks/v1-full.json", configJson(db, "networks", "id", SHOP.id().hex()));
    assertEquals(SHOP, repo.find(SHOP.id()).orElseThrow());
  }
}
