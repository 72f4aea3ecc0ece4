package dev.berth.store.volume;

/** Every statement on the {@code volumes} table. */
final class VolumeSql {

  private VolumeSql() {}

  private static final String SELECT = """
      SELECT name, driver, created, config_json
        FROM volumes
      """;

  static final String FIND = SELECT + """
       WHERE name = ?
      """;

  static final String LIST = SELECT + """
       ORDER BY name
      """;

  static final String INSERT = """
      INSERT INTO volumes (name, driver, created, config_json) VALUES (?, ?, ?, ?)
      """;

  static final String DELETE = """
      DELETE FROM volumes WHERE name = ?
      """;
}
