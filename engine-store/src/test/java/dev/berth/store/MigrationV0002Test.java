package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InternalException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V0002__volumes.sql, upgrading a version-1 database that already holds containers and images. */
class MigrationV0002Test {

  private static final String TIME = "2025-01-01T00:00:00.000000000Z";
  private static final String IMAGE = "sha256:" + "b".repeat(64);

  @TempDir
  Path dir;

  private Database db;
  private Migrator migrator;

  @BeforeEach
  void buildAVersionOneFixture() {
    db = Database.open(dir.resolve("berth.db"));
    migrator = new Migrator(db, List.of(Migration.load("V0001__initial.sql"), Migration.load("V0002__volumes.sql")),
        Clock.systemUTC());
    assertEquals(1, migrator.migrateTo(1));
    exec("INSERT INTO images VALUES ('" + IMAGE + "', '{}', 0, '" + TIME + "')");
    exec("INSERT INTO containers (id, name, image_id, created, status, config_json) VALUES ('" + "a".repeat(64)
        + "', 'web', '" + IMAGE + "', '" + TIME + "', 'created', '{\"version\":1}')");
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void addsTheVolumesTableAndKeepsExistingRows() {
    assertEquals(2, migrator.migrate());

    assertEquals(List.of("name", "driver", "created", "config_json"),
        strings("SELECT name FROM pragma_table_info('volumes') ORDER BY cid"));
    assertEquals(List.of("web"), strings("SELECT name FROM containers"));
    assertEquals(List.of(IMAGE), strings("SELECT id FROM images"));
  }

  @Test
  void volumeNamesAreUniqueAndAtLeastTwoCharactersLong() {
    migrator.migrate();
    exec("INSERT INTO volumes VALUES ('data', 'local', '" + TIME + "', '{}')");

    assertThrows(InternalException.class, () -> exec("INSERT INTO volumes VALUES ('data', 'local', '" + TIME + "', '{}')"));
    assertThrows(InternalException.class, () -> exec("INSERT INTO volumes VALUES ('d', 'local', '" + TIME + "', '{}')"));
    assertThrows(InternalException.class, () -> exec("INSERT INTO volumes VALUES ('x2', 'local', x'00', '{}')"));
  }

  private void exec(String sql) {
    TestDatabases.exec(db, sql);
  }

  private List<String> strings(String sql) {
    return TestDatabases.strings(db, sql);
  }
}
