package dev.berth.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Where the SQLite driver finds its native library. Left alone, the driver copies the library
 * out of its jar into {@code java.io.tmpdir} under a new random name at every start, writes it,
 * reads it back to compare, and deletes it only when the JVM exits normally: that is a third of
 * berthd's start-up before the first connection, and every berthd that is killed leaves a 1 MiB
 * copy in /tmp for good. berthd keeps one copy per driver version beside its database instead,
 * written once, and points the driver at it.
 */
final class SqliteLibrary {

  private static final System.Logger LOG = System.getLogger(SqliteLibrary.class.getName());
  private static final String PATH_PROPERTY = "org.sqlite.lib.path";
  private static final String NAME_PROPERTY = "org.sqlite.lib.name";

  private SqliteLibrary() {}

  /**
   * Points the driver at the library kept in {@code dir}, placing it there first if needed. Does
   * nothing if the driver has been pointed somewhere already (by an earlier database of this
   * process, or by {@code -Dorg.sqlite.lib.path}). If the library cannot be placed, the driver
   * does as it does by default.
   */
  static synchronized void useFrom(Path dir) {
    if (System.getProperty(PATH_PROPERTY) != null) {
      return;
    }
    try {
      Path placed = place(dir);
      if (placed != null) {
        System.setProperty(NAME_PROPERTY, placed.getFileName().toString());
        System.setProperty(PATH_PROPERTY, placed.getParent().toString());
      }
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "cannot keep the SQLite library in " + dir + " (" + e.getMessage()
          + "); the driver copies it to the temporary directory");
    }
  }

  /**
   * The driver's library for this machine in {@code dir}, copied there from the driver's jar unless
   * a whole copy of this driver version is there already; null if the driver has none for this
   * machine. A copy is written under a temporary name and renamed, so a crash never leaves half a
   * library under the final name; what else is in {@code dir} (other versions' copies, a crash's
   * partial copy) goes then.
   */
  static Path place(Path dir) throws IOException {
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    URL url = SQLiteJDBCLoader.class.getResource(resource);
    if (url == null) {
      return null;
    }
    var connection = url.openConnection();
    long size = connection.getContentLengthLong();
    Path target = dir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + LibraryLoaderUtil.getNativeLibName());
    if (Files.isRegularFile(target) && Files.size(target) == size) {
      connection.getInputStream().close();
      return target;
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path partial = Files.createTempFile(dir, ".partial-", ".so");
    try (InputStream in = connection.getInputStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(partial);
    }
    try (var entries = Files.list(dir)) {
      for (Path other : entries.filter(p -> !p.equals(target)).toList()) {
        Files.deleteIfExists(other);
      }
    }
    return target;
  }
}
