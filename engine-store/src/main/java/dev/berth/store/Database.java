package dev.berth.store;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The metadata database: one SQLite file behind a small HikariCP pool. Reads run on autocommit
 * connections, so each statement sees one consistent snapshot; writes run in IMMEDIATE
 * transactions, so two writers never both read and then fail to upgrade their lock.
 *
 * <p>An {@link SQLException} never leaves this class: {@link SqliteError#translate} turns it into
 * an engine exception. Exceptions thrown by the work roll the transaction back and pass through
 * unchanged, so a repository can throw {@code ConflictException} from inside a transaction.
 */
public final class Database implements AutoCloseable {

  /** Readers never block the writer and the writer never blocks readers; needs a local disk. */
  static final SQLiteConfig.JournalMode JOURNAL_MODE = SQLiteConfig.JournalMode.WAL;

  /**
   * Under WAL, NORMAL syncs at checkpoints instead of every commit: the file cannot be corrupted,
   * and a power cut can lose only the last commits, when every container is dead anyway and is
   * reconciled from conmon's exit files on the next start.
   */
  static final SQLiteConfig.SynchronousMode SYNCHRONOUS = SQLiteConfig.SynchronousMode.NORMAL;

  /**
   * SQLite leaves foreign keys off per connection for backward compatibility; the schema relies
   * on them to keep tags, digests and layer lists from pointing at nothing.
   */
  static final boolean FOREIGN_KEYS = true;

  /**
   * BEGIN IMMEDIATE takes the write lock up front. A DEFERRED transaction that reads and then
   * writes can hit SQLITE_BUSY at the upgrade, which busy_timeout cannot wait out.
   */
  static final SQLiteConfig.TransactionMode TRANSACTION_MODE = SQLiteConfig.TransactionMode.IMMEDIATE;

  /**
   * busy_timeout: how long a connection waits for another writer (a pooled connection, or another
   * process such as the sqlite3 shell) before giving up with SQLITE_BUSY. Writes take
   * milliseconds, so reaching it means something holds the lock, and the caller gets a 503.
   */
  public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

  /**
   * cache_size, negative for KiB: each pooled connection keeps its own page cache, 2 MiB by
   * default. The metadata database is a few MiB at most, and the container repository keeps what
   * is read most decoded, so 1 MiB each keeps berthd's footprint down.
   */
  static final int CACHE_SIZE_KIB = 1024;

  private final HikariDataSource pool;
  private final Path file;

  private Database(HikariDataSource pool, Path file) {
    this.pool = pool;
    this.file = file;
  }

  /** Opens (creating if absent) the database file with the default pool settings. */
  public static Database open(Path file) {
    return open(Settings.defaults(file));
  }

  public static Database open(Settings settings) {
    Path file = settings.file().toAbsolutePath();
    createPrivately(file);
    SqliteLibrary.useFrom(file.resolveSibling("sqlite"));
    var sqlite = new SQLiteConfig();
    sqlite.setJournalMode(JOURNAL_MODE);
    sqlite.setSynchronous(SYNCHRONOUS);
    sqlite.enforceForeignKeys(FOREIGN_KEYS);
    sqlite.setTransactionMode(TRANSACTION_MODE);
    sqlite.setBusyTimeout(Math.toIntExact(settings.busyTimeout().toMillis()));
    sqlite.setCacheSize(-CACHE_SIZE_KIB);
    var dataSource = new SQLiteDataSource(sqlite);
    dataSource.setUrl("jdbc:sqlite:" + file);

    // Configured through its own setters rather than a HikariConfig, which the constructor copies
    // field by field through reflection (~15 ms of a start). The pool starts at the first connection.
    var pool = new HikariDataSource();
    pool.setPoolName("berth-store");
    pool.setDataSource(dataSource);
    pool.setMaximumPoolSize(settings.poolSize());
    // A fixed-size pool: opening a connection re-runs the pragmas, so keep them open.
    pool.setMinimumIdle(settings.poolSize());
    pool.setConnectionTimeout(settings.connectionTimeout().toMillis());
    pool.setAutoCommit(true);
    try {
      // Starting the pool validates the configuration and seals it: it cannot change afterwards.
      pool.getConnection().close();
      return new Database(pool, file);
    } catch (HikariPool.PoolInitializationException | IllegalArgumentException | SQLException e) {
      pool.close();
      throw new InternalException("cannot open database " + file + ": " + e.getMessage(), e);
    }
  }

  public Path file() {
    return file;
  }

  /** Runs {@code work} on an autocommit connection: every statement is its own snapshot. */
  public <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw SqliteError.translate(e);
    }
  }

  /**
   * Runs {@code work} in one IMMEDIATE transaction: committed if it returns, rolled back if it
   * throws anything.
   */
  public <T> T write(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      begin(c);
      T result;
      try {
        result = work.run(c);
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      }
      commit(c);
      return result;
    } catch (SQLException e) {
      throw SqliteError.translate(e);
    }
  }

  /** {@link #write} for work with no result. */
  public void writeVoid(VoidWork work) {
    write(c -> {
      work.run(c);
      return null;
    });
  }

  @Override
  public void close() {
    pool.close();
  }

  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  @FunctionalInterface
  public interface VoidWork {
    void run(Connection c) throws SQLException;
  }

  /**
   * Connection settings, checked here so a bad value fails before anything is opened.
   *
   * @param poolSize connections; SQLite has one writer, so more only helps concurrent readers
   * @param connectionTimeout how long a caller waits for a free pooled connection
   * @param busyTimeout how long a statement waits for the write lock, {@link #BUSY_TIMEOUT} by default
   */
  public record Settings(Path file, int poolSize, Duration connectionTimeout, Duration busyTimeout) {

    public static final int DEFAULT_POOL_SIZE = 4;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(30);

    public static Settings defaults(Path file) {
      return new Settings(file, DEFAULT_POOL_SIZE, DEFAULT_CONNECTION_TIMEOUT, BUSY_TIMEOUT);
    }

    public Settings {
      if (file == null) {
        throw new IllegalArgumentException("database file is required");
      }
      if (poolSize < 1 || poolSize > 16) {
        throw new IllegalArgumentException("pool size must be 1 to 16, got " + poolSize);
      }
      // HikariCP refuses timeouts under 250 ms.
      if (connectionTimeout == null || connectionTimeout.toMillis() < 250) {
        throw new IllegalArgumentException("connection timeout must be at least 250ms, got " + connectionTimeout);
      }
      if (busyTimeout == null || busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("busy timeout must be 0 to " + Integer.MAX_VALUE + "ms, got " + busyTimeout);
      }
    }
  }

  private void begin(Connection c) throws SQLException {
    try {
      c.setAutoCommit(false);
    } catch (SQLException e) {
      // sqlite-jdbc records the mode before its BEGIN runs; a later caller would skip the BEGIN.
      pool.evictConnection(c);
      throw e;
    }
  }

  // sqlite-jdbc's commit() and rollback() immediately BEGIN IMMEDIATE again, taking the write
  // lock back until the connection is returned. Leaving transaction mode instead ends the
  // transaction without opening another one (JDBC: setAutoCommit(true) commits).
  private void commit(Connection c) throws SQLException {
    try {
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // The driver already believes it is in autocommit mode; the connection cannot be trusted.
      pool.evictConnection(c);
      throw e;
    }
  }

  // rollback() re-begins too (there is no JDBC call that only rolls back); the setAutoCommit(true)
  // after it ends that empty transaction at once.
  private void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // SQLite may already have rolled back by itself (disk full, I/O error). Either way this
      // connection's transaction state is unknown; closing it discards whatever is left.
      cause.addSuppressed(e);
      pool.evictConnection(c);
    }
  }

  private static void createPrivately(Path file) {
    try {
      Files.createDirectories(file.getParent());
      // The -wal and -shm files SQLite creates copy these permissions.
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      // Opened before.
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: SQLite creates the file with default permissions.
    } catch (IOException e) {
      throw new InternalException("cannot create database " + file + ": " + e.getMessage(), e);
    }
  }
}
