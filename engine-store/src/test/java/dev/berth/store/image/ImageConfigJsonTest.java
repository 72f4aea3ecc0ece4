package dev.berth.store.image;

import static dev.berth.store.ConfigJsonFixtures.assertSameDocument;
import static dev.berth.store.ConfigJsonFixtures.configJson;
import static dev.berth.store.ConfigJsonFixtures.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.berth.core.image.ChainId;
import dev.berth.core.image.Digest;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.HistoryEntry;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.image.Layer;
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

/** {@code images.config_json} as earlier berths wrote it (issue 16). */
class ImageConfigJsonTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");
  private static final Digest D1 = Digest.parse("sha256:" + "2".repeat(64));
  private static final Digest D2 = Digest.parse("sha256:" + "3".repeat(64));
  private static final ImageId FULL_ID = ImageId.parse("sha256:" + "4".repeat(64));
  private static final ImageId EMPTY_ID = ImageId.parse("sha256:" + "5".repeat(64));

  /** What {@code images/v1-full.json} was written from. */
  private static final ImageConfig FULL = new ImageConfig("arm64", "linux", "v8", T0, "Jane <j@example.com>", "built",
      "27.0.3",
      new ImageRunConfig("app", Set.of("8080/tcp"), List.of("PATH=/bin", "A=b"), List.of("/entry"), List.of("serve"),
          Set.of("/var/data"), "/app", Map.of("org.opencontainers.image.version", "1.2"), "SIGINT", 3,
          new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0), List.of("RUN make"), List.of("/bin/sh", "-c"), true),
      List.of(D1, D2),
      List.of(new HistoryEntry(T0, "/bin/sh -c #(nop) ADD file:abc in /", "", "", false),
          new HistoryEntry(null, "CMD [\"serve\"]", "Jane", "c", true)));

  /** What {@code images/v1-empty.json} was written from: a config with nothing in it. */
  private static final ImageConfig EMPTY = new ImageConfig(null, null, null, null, null, null, null, null, List.of(),
      null);

  @TempDir
  Path dir;

  private Database db;
  private SqliteImageRepository repo;

  @BeforeEach
  void open() {
    db = TestDatabases.migrated(dir);
    repo = new SqliteImageRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void rowsReadAsTheConfigsTheyWereWrittenFrom() {
    insertFixture(FULL_ID, "images/v1-full.json");
    insertFixture(EMPTY_ID, "images/v1-empty.json");

    assertEquals(FULL, repo.find(FULL_ID).orElseThrow().config());
    ImageConfig empty = repo.find(EMPTY_ID).orElseThrow().config();
    assertEquals(EMPTY, empty);
    assertNull(empty.created());
    assertNull(empty.config().cmd(), "unset stays unset");
    assertNull(empty.config().healthcheck());
  }

  @Test
  void writesEveryFieldUnderTheNameRowsAlreadyHold() {
    repo.insertLayer(new Layer(new ChainId(D1), D1, null, 1, null, null));
    repo.insertLayer(new Layer(ChainId.chain(List.of(D1, D2)).get(1), D2, new ChainId(D1), 1, null, null));
    repo.insert(FULL_ID, FULL, 5, T0);
    repo.insert(EMPTY_ID, EMPTY, 0, T0);

    assertSameDocument("images/v1-full.json", configJson(db, "images", "id", FULL_ID.toString()));
    assertSameDocument("images/v1-empty.json", configJson(db, "images", "id", EMPTY_ID.toString()));
    assertEquals(FULL, repo.find(FULL_ID).orElseThrow().config());
    assertEquals(EMPTY, repo.find(EMPTY_ID).orElseThrow().config());
  }

  private void insertFixture(ImageId id, String fixture) {
    exec(db, "INSERT INTO images (id, config_json, size, loaded) VALUES (?, ?, 0, ?)", id.toString(),
        ConfigJsonFixtures.read(fixture), "2025-03-01T10:15:30.123456789Z");
  }
}
