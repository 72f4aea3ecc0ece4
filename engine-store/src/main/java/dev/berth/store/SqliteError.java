package dev.berth.store;

import dev.berth.core.error.InternalException;
import dev.berth.core.error.UnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Classifies a failed statement by SQLite's result code (sqlite-jdbc turns on extended codes),
 * never by its message text.
 */
public final class SqliteError {

  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;

  private SqliteError() {}

  /** A UNIQUE or PRIMARY KEY constraint failed. */
  public static boolean isUniqueViolation(SQLException e) {
    return code(e) == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
        || code(e) == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY;
  }

  public static boolean isForeignKeyViolation(SQLException e) {
    return code(e) == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY;
  }

  /**
   * The engine exception for a failure nobody above expected: waiting too long for the write
   * lock or for a pooled connection is 503 (retrying may work), anything else is 500.
   */
  public static RuntimeException translate(SQLException e) {
    SQLiteErrorCode code = code(e);
    int primary = code == null ? -1 : code.code & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      return new UnavailableException("database is busy, try again: " + e.getMessage(), e);
    }
    if (e instanceof SQLTransientConnectionException) {
      return new UnavailableException("no database connection available, try again", e);
    }
    return new InternalException("database error: " + e.getMessage(), e);
  }

  private static SQLiteErrorCode code(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException s) {
        return s.getResultCode();
      }
    }
    return null;
  }
}
