package dev.berth.store;

import java.nio.file.Path;

/** Opens a migrated database in a test's temporary directory. */
public final class TestDatabases {

  private TestDatabases() {}

  public static Database migrated(Path dir) {
    Database db = Database.open(dir.resolve("berth.db"));
    new Migrator(db).migrate();
    return db;
  }
}
