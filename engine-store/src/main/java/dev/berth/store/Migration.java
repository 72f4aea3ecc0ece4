package dev.berth.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * One forward-only schema change, a classpath resource {@code db/V0007__add_health.sql}. Once
 * released a migration is never edited: databases out there have already run it.
 *
 * @param version its number, 1-based and without gaps
 * @param name the resource file name, recorded with the version
 * @param sql one or more statements; the migrator supplies the transaction
 */
record Migration(int version, String name, String sql) {

  private static final Pattern NAME = Pattern.compile("V(\\d{4})__[a-z0-9_]+\\.sql");

  public Migration {
    var m = NAME.matcher(name);
    if (!m.matches() || Integer.parseInt(m.group(1)) != version) {
      throw new IllegalArgumentException("migration " + version + " has a bad file name: " + name);
    }
  }

  /** Loads {@code db/<name>} from the classpath; the version comes from the name. */
  static Migration load(String name) {
    var m = NAME.matcher(name);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a migration file name: " + name);
    }
    try (InputStream in = Migration.class.getResourceAsStream("/db/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration missing from the classpath: db/" + name);
      }
      return new Migration(Integer.parseInt(m.group(1)), name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read migration db/" + name, e);
    }
  }
}
