package dev.berth.store.container;

/** Every statement on the {@code containers} table. */
final class ContainerSql {

  private ContainerSql() {}

  /**
   * A row's columns are read only if its row_rev is not the one its container was made from, and
   * its config_json only if its config_rev was not decoded either (DecodedContainers).
   */
  private static final String SELECT = """
      SELECT id, row_rev, name, image_id, created, status, pid, monitor_pid, monitor_start_time, exit_code,
             started_at, finished_at, error, oom_killed, stopped_by_user, restart_count, config_rev,
             config_json
        FROM containers
      """;

  static final String FIND_BY_ID = SELECT + """
       WHERE id = ?
      """;

  static final String FIND_BY_NAME = SELECT + """
       WHERE name = ?
      """;

  /** A half-open range on the primary key, so the prefix search uses its index. */
  static final String FIND_BY_ID_RANGE = SELECT + """
       WHERE id >= ? AND id < ?
       ORDER BY id
      """;

  static final String LIST = SELECT + """
       ORDER BY created DESC, id
      """;

  static final String INSERT = """
      INSERT INTO containers (id, name, image_id, created, status, pid, monitor_pid,
                              monitor_start_time, exit_code, started_at, finished_at, error, oom_killed, stopped_by_user,
                              restart_count, config_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      """;

  /** Parameters in the same order as {@link #INSERT}, the id last. */
  static final String UPDATE = """
      UPDATE containers
         SET name = ?, image_id = ?, created = ?, status = ?, pid = ?, monitor_pid = ?,
             monitor_start_time = ?,
             exit_code = ?, started_at = ?, finished_at = ?, error = ?, oom_killed = ?, stopped_by_user = ?,
             restart_count = ?, config_json = ?
       WHERE id = ?
      """;

  static final String DELETE = """
      DELETE FROM containers WHERE id = ?
      """;

  static final String ID_EXISTS = """
      SELECT 1 FROM containers WHERE id = ?
      """;

  static final String ID_BY_NAME = """
      SELECT id FROM containers WHERE name = ?
      """;
}
