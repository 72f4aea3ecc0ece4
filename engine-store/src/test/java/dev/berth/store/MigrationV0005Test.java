package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V0005__container_row_revisions.sql, upgrading a version-4 database that already holds a container. */
class MigrationV0005Test {

  private static final String TIME = "2025-01-01T00:00:00.000000000Z";
  private static final String IMAGE = "sha256:" + "b".repeat(64);
  private static final String OLD = "a".repeat(64);
  private static final String NEW = "c".repeat(64);

  @TempDir
  Path dir;

  private Database db;

  @BeforeEach
  void buildAVersionFourFixture() {
    db = Database.open(dir.resolve("berth.db"));
    var migrator = new Migrator(db, Migrator.FILES.stream().map(Migration::load).toList(), Clock.systemUTC());
    assertEquals(4, migrator.migrateTo(4));
    exec("INSERT INTO images VALUES ('" + IMAGE + "', '{}', 0, '" + TIME + "')");
    insert(OLD, "web");
    assertEquals(5, migrator.migrateTo(5));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aRowFromBeforeKeepsItsRevisions() {
    assertEquals(List.of("web 0 1"), strings("SELECT name || ' ' || row_rev || ' ' || config_rev FROM containers"));
  }

  @Test
  void anInsertGivesBothRevisionsOneNewNumber() {
    insert(NEW, "db");
    assertEquals("2 2", revisions(NEW));
  }

  @Test
  void anyChangeGivesTheRowANewRevisionAndOnlyANewDocumentGivesTheDocumentOne() {
    exec("UPDATE containers SET status = 'exited', exit_code = 0 WHERE id = '" + OLD + "'");
    assertEquals("2 1", revisions(OLD), "the columns");

    exec("UPDATE containers SET name = 'web2', config_json = '{\"version\":1}' WHERE id = '" + OLD + "'");
    assertEquals("3 1", revisions(OLD), "a rename, the document written again as it was");

    exec("UPDATE containers SET config_json = '{\"version\":1,\"x\":1}' WHERE id = '" + OLD + "'");
    assertEquals("4 4", revisions(OLD), "a new document");

    exec("DELETE FROM containers WHERE id = '" + OLD + "'");
    insert(OLD, "web");
    assertEquals("5 5", revisions(OLD), "a row made again never gets back a revision it had");
  }

  private void insert(String id, String name) {
    exec("INSERT INTO containers (id, name, image_id, created, status, config_json) VALUES ('" + id + "', '" + name
        + "', '" + IMAGE + "', '" + TIME + "', 'created', '{\"version\":1}')");
  }

  private String revisions(String id) {
    return strings("SELECT row_rev || ' ' || config_rev FROM containers WHERE id = '" + id + "'").getFirst();
  }

  private void exec(String sql) {
    TestDatabases.exec(db, sql);
  }

  private List<String> strings(String sql) {
    return TestDatabases.strings(db, sql);
  }
}
