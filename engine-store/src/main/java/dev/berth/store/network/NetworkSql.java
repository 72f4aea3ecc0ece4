package dev.berth.store.network;

/** Every statement on the {@code networks} table. */
final class NetworkSql {

  private NetworkSql() {}

  private static final String SELECT = """
      SELECT id, name, driver, created, config_json
        FROM networks
      """;

  static final String EXISTS_BY_NAME = """
      SELECT 1 FROM networks WHERE name = ?
      """;

  static final String LIST = SELECT + """
       ORDER BY name
      """;

  static final String INSERT = """
      INSERT INTO networks (id, name, driver, created, config_json) VALUES (?, ?, ?, ?, ?)
      """;

  static final String DELETE = """
      DELETE FROM networks WHERE id = ?
      """;
}
