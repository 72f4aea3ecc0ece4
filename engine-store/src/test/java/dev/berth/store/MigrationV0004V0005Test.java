package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V0004__container_revisions.sql and V0005__container_row_revisions.sql, each upgrading a database
 * of the version before it that already holds a container.
 */
class MigrationV0004V0005Test {

  private static final String TIME = "2025-01-01T00:00:00.000000000Z";
  private static final String IMAGE = "sha256:" + "b".repeat(64);
  private static final String OLD = "a".repeat(64);
  private static final String NEW = "c".repeat(64);

  @TempDir
  Path dir;

  private Database db;

  /** A database at {@code version} - 1 holding a container, then migrated to {@code version}. */
  private void upgradeTo(int version) {
    db = Database.open(dir.resolve("berth.db"));
    var migrator = new Migrator(db, Migrator.FILES.stream().map(Migration::load).toList(), Clock.systemUTC());
    assertEquals(version - 1, migrator.migrateTo(version - 1));
    exec("INSERT INTO images VALUES ('" + IMAGE + "', '{}', 0, '" + TIME + "')");
    insert(OLD, "web");
    assertEquals(version, migrator.migrateTo(version));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void version4ARowFromBeforeKeepsItsDocumentAtRevisionZero() {
    upgradeTo(4);
    assertEquals(List.of("web 0 {\"version\":1}"), strings("SELECT name || ' ' || config_rev || ' ' || config_json"
        + " FROM containers"));
  }

  @Test
  void version4EveryNewDocumentGetsARevisionNoneHadBefore() {
    upgradeTo(4);
    insert(NEW, "db");
    assertEquals("1", column("config_rev", NEW), "an inserted row");

    exec("UPDATE containers SET config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");
    assertEquals("2", column("config_rev", OLD), "a changed document");
    assertEquals("1", column("config_rev", NEW), "another row's stays");

    exec("DELETE FROM containers WHERE id = '" + OLD + "'");
    insert(OLD, "web");
    assertEquals("3", column("config_rev", OLD), "a row made again never gets back a revision it had");
  }

  @Test
  void version4AWriteThatLeavesTheDocumentAsItWasKeepsItsRevision() {
    upgradeTo(4);
    exec("UPDATE containers SET config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");
    exec("UPDATE containers SET status = 'exited', exit_code = 0 WHERE id = '" + OLD + "'");
    exec("UPDATE containers SET status = 'created', config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");

    assertEquals("1", column("config_rev", OLD));
  }

  @Test
  void version5ARowFromBeforeKeepsItsRevisions() {
    upgradeTo(5);
    assertEquals("0 1", column("row_rev || ' ' || config_rev", OLD), "its document's from version 4");
  }

  @Test
  void version5AnInsertGivesBothRevisionsOneNewNumber() {
    upgradeTo(5);
    insert(NEW, "db");
    assertEquals("2 2", column("row_rev || ' ' || config_rev", NEW));
  }

  @Test
  void version5AnyChangeGivesTheRowANewRevisionAndOnlyANewDocumentGivesTheDocumentOne() {
    upgradeTo(5);
    String revisions = "row_rev || ' ' || config_rev";
    exec("UPDATE containers SET status = 'exited', exit_code = 0 WHERE id = '" + OLD + "'");
    assertEquals("2 1", column(revisions, OLD), "the columns");

    exec("UPDATE containers SET name = 'web2', config_json = '{\"version\":1}' WHERE id = '" + OLD + "'");
    assertEquals("3 1", column(revisions, OLD), "a rename, the document written again as it was");

    exec("UPDATE containers SET config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");
    assertEquals("4 4", column(revisions, OLD), "a new document");

    exec("DELETE FROM containers WHERE id = '" + OLD + "'");
    insert(OLD, "web");
    assertEquals("5 5", column(revisions, OLD), "a row made again never gets back a revision it had");
  }

  private void insert(String id, String name) {
    exec("INSERT INTO containers (id, name, image_id, created, status, config_json) VALUES ('" + id + "', '" + name
        + "', '" + IMAGE + "', '" + TIME + "', 'created', '{\"version\":1}')");
  }

  private String column(String expression, String id) {
    return strings("SELECT " + expression + " FROM containers WHERE id = '" + id + "'").getFirst();
  }

  private void exec(String sql) {
    TestDatabases.exec(db, sql);
  }

  private List<String> strings(String sql) {
    return TestDatabases.strings(db, sql);
  }
}
