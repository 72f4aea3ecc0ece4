package dev.berth.store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens a migrated database in a test's temporary directory, and runs a test's own SQL on one. */
public final class TestDatabases {

  private TestDatabases() {}

  public static Database migrated(Path dir) {
    Database db = Database.open(dir.resolve("berth.db"));
    new Migrator(db).migrate();
    return db;
  }

  /** Runs {@code sql} in a write transaction of its own. */
  public static void exec(Database db, String sql) {
    db.writeVoid(c -> {
      try (var st = c.createStatement()) {
        st.executeUpdate(sql);
      }
    });
  }

  /** The first column of every row {@code sql} selects, as text. */
  public static List<String> strings(Database db, String sql) {
    return db.read(c -> {
      try (var st = c.createStatement(); var rs = st.executeQuery(sql)) {
        var out = new ArrayList<String>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    });
  }
}
