package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  @TempDir
  Path dir;

  private Database db;

  @BeforeEach
  void open() {
    db = Database.open(dir.resolve("berth.db"));
    db.writeVoid(c -> exec(c, "CREATE TABLE t (v INTEGER PRIMARY KEY)"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void everyConnectionHasThePragmasSet() {
    // More reads than the pool has connections, each on whichever connection is free.
    for (int i = 0; i < Database.Settings.DEFAULT_POOL_SIZE * 2; i++) {
      db.read(c -> {
        assertEquals("wal", pragma(c, "journal_mode"));
        assertEquals("1", pragma(c, "foreign_keys"));
        assertEquals("1", pragma(c, "synchronous"), "NORMAL");
        assertEquals(String.valueOf(Database.BUSY_TIMEOUT.toMillis()), pragma(c, "busy_timeout"));
        return null;
      });
    }
  }

  @Test
  void theFileIsPrivate() throws Exception {
    assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(dir.resolve("berth.db")));
  }

  @Test
  void createsMissingParentDirectories() {
    try (Database nested = Database.open(dir.resolve("a/b/berth.db"))) {
      assertEquals(1, (int) nested.read(c -> Integer.valueOf(pragma(c, "foreign_keys"))));
    }
  }

  @Test
  void writeCommitsWhenTheWorkReturns() {
    db.writeVoid(c -> exec(c, "INSERT INTO t VALUES (1)"));

    assertEquals(1, count());
  }

  @Test
  void writeRollsBackWhenTheWorkThrows() {
    assertThrows(ConflictException.class, () -> db.writeVoid(c -> {
      exec(c, "INSERT INTO t VALUES (1)");
      throw new ConflictException("changed my mind");
    }));

    assertEquals(0, count());
    // The connection went back to the pool in a usable state.
    for (int i = 0; i < Database.Settings.DEFAULT_POOL_SIZE * 2; i++) {
      db.writeVoid(c -> exec(c, "INSERT INTO t (v) VALUES (NULL)"));
    }
    assertEquals(Database.Settings.DEFAULT_POOL_SIZE * 2, count());
  }

  @Test
  void sqlErrorsBecomeInternalExceptionsAndRollBack() {
    var e = assertThrows(InternalException.class, () -> db.writeVoid(c -> {
      exec(c, "INSERT INTO t VALUES (1)");
      exec(c, "INSERT INTO nowhere VALUES (1)");
    }));

    assertTrue(e.getCause() instanceof SQLException);
    assertEquals(0, count());
  }

  @Test
  void writesAreImmediateTransactions() {
    db.writeVoid(c -> assertEquals(false, c.getAutoCommit()));
    db.read(c -> {
      assertEquals(true, c.getAutoCommit());
      return null;
    });
  }

  @Test
  void aHeldWriteLockIsUnavailableAfterTheBusyTimeout() throws Exception {
    var settings = new Database.Settings(dir.resolve("berth.db"), 2, Duration.ofSeconds(1), Duration.ofMillis(200));
    try (Database impatient = Database.open(settings);
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("berth.db"))) {
      exec(other, "BEGIN IMMEDIATE");

      assertThrows(UnavailableException.class, () -> impatient.writeVoid(c -> exec(c, "INSERT INTO t VALUES (1)")));
      // Readers are not blocked by a writer under WAL.
      assertEquals(0, (int) impatient.read(c -> Integer.valueOf(query(c, "SELECT count(*) FROM t"))));

      exec(other, "ROLLBACK");
      impatient.writeVoid(c -> exec(c, "INSERT INTO t VALUES (1)"));
    }
    assertEquals(1, count());
  }

  @Test
  void settingsAreChecked() {
    Path file = dir.resolve("x.db");
    assertThrows(IllegalArgumentException.class, () -> new Database.Settings(file, 0, Duration.ofSeconds(1), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new Database.Settings(file, 4, Duration.ofMillis(10), Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> new Database.Settings(file, 4, Duration.ofSeconds(1), Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> new Database.Settings(null, 4, Duration.ofSeconds(1), Duration.ZERO));
  }

  @Test
  void anUnopenableFileIsAnInternalException() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("not-a-file"));
    assertThrows(InternalException.class, () -> Database.open(directory));
  }

  private int count() {
    return db.read(c -> Integer.valueOf(query(c, "SELECT count(*) FROM t")));
  }

  private static String pragma(Connection c, String name) throws SQLException {
    return query(c, "PRAGMA " + name);
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (var st = c.createStatement()) {
      st.executeUpdate(sql);
    }
  }
}
