package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V0004__container_revisions.sql, upgrading a version-3 database that already holds a container. */
class MigrationV0004Test {

  private static final String TIME = "2025-01-01T00:00:00.000000000Z";
  private static final String IMAGE = "sha256:" + "b".repeat(64);
  private static final String OLD = "a".repeat(64);
  private static final String NEW = "c".repeat(64);

  @TempDir
  Path dir;

  private Database db;

  @BeforeEach
  void buildAVersionThreeFixture() {
    db = Database.open(dir.resolve("berth.db"));
    var migrator = new Migrator(db, Migrator.FILES.stream().map(Migration::load).toList(), Clock.systemUTC());
    assertEquals(3, migrator.migrateTo(3));
    exec("INSERT INTO images VALUES ('" + IMAGE + "', '{}', 0, '" + TIME + "')");
    insert(OLD, "web");
    assertEquals(4, migrator.migrateTo(4));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRowFromBeforeKeepsItsDocumentAtRevisionZero() {
    assertEquals(List.of("web 0 {\"version\":1}"), strings("SELECT name || ' ' || config_rev || ' ' || config_json"
        + " FROM containers"));
  }

  @Test
  void everyNewDocumentGetsARevisionNoneHadBefore() {
    insert(NEW, "db");
    assertEquals("1", revision(NEW), "an inserted row");

    exec("UPDATE containers SET config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");
    assertEquals("2", revision(OLD), "a changed document");
    assertEquals("1", revision(NEW), "another row's stays");

    exec("DELETE FROM containers WHERE id = '" + OLD + "'");
    insert(OLD, "web");
    assertEquals("3", revision(OLD), "a row made again never gets back a revision it had");
  }

  @Test
  void aWriteThatLeavesTheDocumentAsItWasKeepsItsRevision() {
    exec("UPDATE containers SET config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");
    exec("UPDATE containers SET status = 'exited', exit_code = 0 WHERE id = '" + OLD + "'");
    exec("UPDATE containers SET status = 'created', config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");

    assertEquals("1", revision(OLD));
  }

  private void insert(String id, String name) {
    exec("INSERT INTO containers (id, name, image_id, created, status, config_json) VALUES ('" + id + "', '" + name
        + "', '" + IMAGE + "', '" + TIME + "', 'created', '{\"version\":1}')");
  }

  private String revision(String id) {
    return strings("SELECT config_rev FROM containers WHERE id = '" + id + "'").getFirst();
  }

  private void exec(String sql) {
    TestDatabases.exec(db, sql);
  }

  private List<String> strings(String sql) {
    return TestDatabases.strings(db, sql);
  }
}
