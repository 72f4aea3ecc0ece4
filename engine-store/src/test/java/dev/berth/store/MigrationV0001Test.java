package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InternalException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V0001__initial.sql, upgrading from the previous version: an empty database. */
class MigrationV0001Test {

  private static final String ID = "a".repeat(64);
  private static final String IMAGE = "sha256:" + "b".repeat(64);
  private static final String TIME = "2025-01-01T00:00:00.000000000Z";

  @TempDir
  Path dir;

  private Database db;

  @BeforeEach
  void migrateAnEmptyDatabase() {
    db = Database.open(dir.resolve("berth.db"));
    var migrator = new Migrator(db, List.of(Migration.load("V0001__initial.sql")), Clock.systemUTC());
    assertEquals(0, migrator.currentVersion());
    assertEquals(1, migrator.migrateTo(1));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void createsEveryTableWithItsColumns() {
    var expected = Map.of(
        "containers", List.of("id", "name", "image_id", "created", "status", "pid", "monitor_pid", "monitor_start_time", "exit_code",
            "started_at", "finished_at", "error", "oom_killed", "stopped_by_user", "restart_count", "config_json"),
        "images", List.of("id", "config_json", "size", "loaded"),
        "image_tags", List.of("reference", "image_id", "tagged_at"),
        "image_digests", List.of("image_id", "repo_digest"),
        "layers", List.of("chain_id", "diff_id", "parent", "size", "blob", "media_type"),
        "image_layers", List.of("image_id", "position", "chain_id"));
    expected.forEach((table, columns) -> assertEquals(columns, columns(table), table));
  }

  @Test
  void indexesTheColumnsQueriesUse() {
    var indexes = TestDatabases.strings(db, "SELECT name FROM sqlite_schema WHERE type = 'index' AND name NOT LIKE 'sqlite_%'");
    assertTrue(indexes.containsAll(List.of("containers_by_created", "containers_by_image", "images_by_loaded",
        "image_tags_by_image", "layers_by_parent", "image_layers_by_chain")), indexes.toString());
  }

  @Test
  void containerNamesAreUnique() {
    insertContainer(ID, "web", "created");

    var e = assertThrows(InternalException.class, () -> insertContainer("c".repeat(64), "web", "created"));
    assertTrue(SqliteError.isUniqueViolation((SQLException) e.getCause()));
  }

  @Test
  void statusIsOneOfTheStateVariants() {
    assertThrows(InternalException.class, () -> insertContainer(ID, "web", "frozen"));
    insertContainer("d".repeat(64), "paused-one", "paused");
    insertContainer(ID, "web", "dead");
  }

  @Test
  void tablesAreStrict() {
    assertThrows(InternalException.class, () -> exec("INSERT INTO images VALUES ('" + IMAGE + "', '{}', 'big', '" + TIME + "')"));
  }

  @Test
  void foreignKeysGuardReferencesAndLayers() {
    var e = assertThrows(InternalException.class,
        () -> exec("INSERT INTO image_tags VALUES ('docker.io/library/busybox:latest', '" + IMAGE + "', '" + TIME + "')"));
    assertTrue(SqliteError.isForeignKeyViolation((SQLException) e.getCause()));

    exec("INSERT INTO images VALUES ('" + IMAGE + "', '{}', 0, '" + TIME + "')");
    exec("INSERT INTO layers VALUES ('sha256:" + "1".repeat(64) + "', 'sha256:" + "1".repeat(64) + "', NULL, 0, NULL, NULL)");
    exec("INSERT INTO image_layers VALUES ('" + IMAGE + "', 0, 'sha256:" + "1".repeat(64) + "')");
    assertThrows(InternalException.class, () -> exec("DELETE FROM images"));
    assertThrows(InternalException.class, () -> exec("DELETE FROM layers"));
  }

  private void insertContainer(String id, String name, String status) {
    exec("INSERT INTO containers (id, name, image_id, created, status, config_json) VALUES ('"
        + id + "', '" + name + "', '" + IMAGE + "', '" + TIME + "', '" + status + "', '{}')");
  }

  private void exec(String sql) {
    TestDatabases.exec(db, sql);
  }

  private List<String> columns(String table) {
    return TestDatabases.strings(db, "SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
  }
}
