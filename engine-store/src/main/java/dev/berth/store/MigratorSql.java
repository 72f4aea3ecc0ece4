package dev.berth.store;

/** The {@code schema_version} table, which the migrator owns (migrations never touch it). */
final class MigratorSql {

  private MigratorSql() {}

  static final String CREATE_VERSION_TABLE = """
      CREATE TABLE IF NOT EXISTS schema_version (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at TEXT NOT NULL
      ) STRICT
      """;

  static final String VERSION_TABLE_EXISTS = """
      SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'
      """;

  static final String CURRENT_VERSION = """
      SELECT coalesce(max(version), 0) FROM schema_version
      """;

  static final String HISTORY = """
      SELECT version, name FROM schema_version ORDER BY version
      """;

  static final String RECORD = """
      INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)
      """;
}
