package dev.berth.store.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageRepository;
import dev.berth.core.image.ImageRepositoryContract;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.image.Digest;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteImageRepositoryTest extends ImageRepositoryContract {

  @TempDir
  Path dir;

  private Database db;
  private SqliteImageRepository repo;

  @Override
  protected ImageRepository newRepository() {
    db = TestDatabases.migrated(dir);
    repo = new SqliteImageRepository(db);
    return repo;
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void digestsAndTimesAreStoredAsText() {
    Digest d = digest("layer");
    storeLayers(d);
    ImageId id = imageId("a");
    repo.insert(id, new ImageConfig("amd64", "linux", "", T0, "", "", "", ImageRunConfig.EMPTY, List.of(d), List.of()),
        0, T0);

    String json = db.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery("SELECT config_json FROM images")) {
        rs.next();
        return rs.getString(1);
      }
    });
    assertTrue(json.contains("\"diffIds\":[\"" + d + "\"]"), json);
    assertTrue(json.contains("\"created\":\"2025-03-01T10:15:30.123456789Z\""), json);
    assertTrue(json.startsWith("{\"version\":1,"), json);
  }

  @Test
  void configJsonToleratesUnknownProperties() {
    ImageId id = imageId("a");
    repo.insert(id, config(), 0, T0);
    db.writeVoid(c -> {
      try (var st = c.createStatement()) {
        st.executeUpdate("UPDATE images SET config_json = json_set(config_json, '$.config.rootfs', json('{\"type\":\"layers\"}'),"
            + " '$.config.config.newThing', 1)");
      }
    });

    assertEquals(config(), repo.find(id).orElseThrow().config());
  }

  @Test
  void survivesAReopen() {
    storeLayers(digest("l1"), digest("l2"));
    ImageId id = imageId("a");
    repo.insert(id, config(digest("l1"), digest("l2")), 7, T0);
    repo.tag(ref("app:1"), id, T0);
    var before = repo.find(id).orElseThrow();
    db.close();

    db = TestDatabases.migrated(dir);
    var reopened = new SqliteImageRepository(db);
    assertEquals(before, reopened.find(id).orElseThrow());
    assertEquals(List.of(), reopened.unusedLayers());
  }
}
