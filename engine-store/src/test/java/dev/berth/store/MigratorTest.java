package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InternalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migrator's own rules; each migration's upgrade has its own test class. */
class MigratorTest {

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private Database db;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("berth.db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theListNamesEveryMigrationResource() throws Exception {
    Path resources = Path.of(Migrator.class.getResource("/db/V0001__initial.sql").toURI()).getParent();
    try (Stream<Path> files = Files.list(resources)) {
      assertEquals(files.map(p -> p.getFileName().toString()).sorted().toList(), Migrator.FILES);
    }
  }

  @Test
  void migratesAnEmptyDatabaseToTheLatestVersion() {
    var migrator = new Migrator(db);
    assertEquals(0, migrator.currentVersion());

    assertEquals(migrator.latestVersion(), migrator.migrate());

    assertEquals(migrator.latestVersion(), migrator.currentVersion());
    assertEquals(migrator.latestVersion(), (int) db.read(c -> count(c, "SELECT count(*) FROM schema_version")));
  }

  @Test
  void migratingTwiceChangesNothing() {
    new Migrator(db).migrate();

    assertEquals(new Migrator(db).latestVersion(), new Migrator(db).migrate());
  }

  @Test
  void recordsEachMigration() {
    new Migrator(db, List.of(v1(), v2()), CLOCK).migrate();

    List<String> rows = db.read(c -> {
      try (var st = c.createStatement();
          var rs = st.executeQuery("SELECT version, name, applied_at FROM schema_version ORDER BY version")) {
        var out = new java.util.ArrayList<String>();
        while (rs.next()) {
          out.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
        return out;
      }
    });
    assertEquals(List.of(
        "1 V0001__one.sql 2025-01-01T00:00:00.000000000Z",
        "2 V0002__two.sql 2025-01-01T00:00:00.000000000Z"), rows);
  }

  @Test
  void stopsAtTheTargetVersion() {
    var migrator = new Migrator(db, List.of(v1(), v2()), CLOCK);

    assertEquals(1, migrator.migrateTo(1));
    assertEquals(1, migrator.currentVersion());
    assertEquals(2, migrator.migrate());
  }

  @Test
  void refusesADatabaseNewerThanTheBinary() {
    new Migrator(db, List.of(v1(), v2()), CLOCK).migrate();

    var e = assertThrows(IncompatibleSchemaException.class, () -> new Migrator(db, List.of(v1()), CLOCK).migrate());
    assertTrue(e.getMessage().contains("schema version 2"), e.getMessage());
    assertTrue(e.getMessage().contains("newer berth"), e.getMessage());
  }

  @Test
  void refusesADifferentHistory() {
    new Migrator(db, List.of(v1()), CLOCK).migrate();
    var other = new Migration(1, "V0001__other.sql", "CREATE TABLE other (x INTEGER)");

    assertThrows(IncompatibleSchemaException.class, () -> new Migrator(db, List.of(other), CLOCK).migrate());
  }

  @Test
  void aFailingMigrationLeavesTheDatabaseAtThePreviousVersion() {
    var broken = new Migration(2, "V0002__broken.sql", """
        CREATE TABLE half (x INTEGER);
        INSERT INTO nowhere VALUES (1);
        """);
    var migrator = new Migrator(db, List.of(v1(), broken), CLOCK);

    assertThrows(InternalException.class, migrator::migrate);

    assertEquals(1, migrator.currentVersion());
    assertFalse(tableExists("half"), "the failed migration's first statement was rolled back");
    assertTrue(tableExists("one"));
  }

  @Test
  void migrationsMustBeNumberedWithoutGaps() {
    assertThrows(IllegalArgumentException.class, () -> new Migrator(db, List.of(v2()), CLOCK));
    assertThrows(IllegalArgumentException.class, () -> new Migration(3, "V0002__two.sql", ""));
    assertThrows(IllegalArgumentException.class, () -> new Migration(1, "0001_bad.sql", ""));
  }

  private static Migration v1() {
    return new Migration(1, "V0001__one.sql", "CREATE TABLE one (x INTEGER); CREATE INDEX one_x ON one (x);");
  }

  private static Migration v2() {
    return new Migration(2, "V0002__two.sql", "ALTER TABLE one ADD COLUMN y TEXT;");
  }

  private boolean tableExists(String name) {
    return db.read(c -> {
      try (var ps = c.prepareStatement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?")) {
        ps.setString(1, name);
        try (var rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  private static int count(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
