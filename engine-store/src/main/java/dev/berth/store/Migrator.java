package dev.berth.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Brings the schema up to the newest version this binary knows, one migration per transaction,
 * recording each in {@code schema_version}. It never goes backwards: a database newer than the
 * binary is refused (downgrading berth would otherwise silently drop what newer columns mean).
 *
 * <p>A migration runs inside a transaction with foreign keys on, where {@code PRAGMA foreign_keys}
 * cannot be changed: one that rebuilds a table uses {@code PRAGMA defer_foreign_keys = ON} and
 * ends with {@code PRAGMA foreign_key_check}.
 */
public final class Migrator {

  /** Every migration, in order. Append only; a test checks this matches {@code db/}. */
  static final List<String> FILES = List.of(
      "V0001__initial.sql",
      "V0002__volumes.sql",
      "V0003__networks.sql",
      "V0004__container_revisions.sql",
      "V0005__container_row_revisions.sql");

  private final Database db;
  private final List<Migration> migrations;
  private final Clock clock;

  public Migrator(Database db) {
    this(db, FILES.stream().map(Migration::load).toList(), Clock.systemUTC());
  }

  Migrator(Database db, List<Migration> migrations, Clock clock) {
    for (int i = 0; i < migrations.size(); i++) {
      if (migrations.get(i).version() != i + 1) {
        throw new IllegalArgumentException("migrations must be numbered 1, 2, ... without gaps; found "
            + migrations.get(i).name() + " at position " + (i + 1));
      }
    }
    this.db = db;
    this.migrations = List.copyOf(migrations);
    this.clock = clock;
  }

  /** The version this binary brings databases to. */
  public int latestVersion() {
    return migrations.size();
  }

  /**
   * Applies every missing migration.
   *
   * @return the schema version now in the database
   * @throws IncompatibleSchemaException if the database is newer than this binary or its history
   *     names different migrations
   */
  public int migrate() {
    return migrateTo(latestVersion());
  }

  /** Stops at {@code target}; tests use it to build a fixture at an older version. */
  int migrateTo(int target) {
    if (target < 0 || target > latestVersion()) {
      throw new IllegalArgumentException("no migration " + target);
    }
    db.writeVoid(c -> {
      try (var st = c.createStatement()) {
        st.executeUpdate(MigratorSql.CREATE_VERSION_TABLE);
      }
    });
    while (true) {
      // Re-read inside each transaction: another process may be migrating the same file.
      int version = db.write(c -> step(c, target));
      if (version >= target) {
        return version;
      }
    }
  }

  /** The database's version, 0 if it was never migrated. */
  public int currentVersion() {
    return db.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery(MigratorSql.VERSION_TABLE_EXISTS)) {
        if (!rs.next()) {
          return 0;
        }
      }
      return recordedVersion(c);
    });
  }

  private int step(Connection c, int target) throws SQLException {
    int current = recordedVersion(c);
    checkCompatible(c, current);
    if (current >= target) {
      return current;
    }
    Migration next = migrations.get(current);
    try (var st = c.createStatement()) {
      // sqlite-jdbc runs a multi-statement string through sqlite3_exec, so one call runs the file.
      st.executeUpdate(next.sql());
    }
    try (var ps = c.prepareStatement(MigratorSql.RECORD)) {
      ps.setInt(1, next.version());
      ps.setString(2, next.name());
      ps.setString(3, Timestamps.format(clock.instant()));
      ps.executeUpdate();
    }
    return next.version();
  }

  private void checkCompatible(Connection c, int current) throws SQLException {
    if (current > latestVersion()) {
      throw new IncompatibleSchemaException("database " + db.file() + " has schema version " + current
          + " but this berth knows only up to " + latestVersion() + "; it was written by a newer berth");
    }
    try (var st = c.createStatement(); var rs = st.executeQuery(MigratorSql.HISTORY)) {
      while (rs.next()) {
        int version = rs.getInt(1);
        String name = rs.getString(2);
        if (version < 1 || !migrations.get(version - 1).name().equals(name)) {
          throw new IncompatibleSchemaException("database " + db.file() + " records migration " + version
              + " as " + name + ", which this berth does not have");
        }
      }
    }
  }

  private static int recordedVersion(Connection c) throws SQLException {
    try (var st = c.createStatement(); var rs = st.executeQuery(MigratorSql.CURRENT_VERSION)) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }
}
