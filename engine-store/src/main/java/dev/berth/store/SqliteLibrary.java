package dev.berth.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
   * this driver version's copy for this architecture is there already; null if the driver has none
   * for this machine. A copy is written under a temporary name, synced and renamed, so the final
   * name only ever holds a whole library and finding it is enough: the driver's own search for its
   * resource (which runs {@code uname} and scans for musl, ~25 ms of every start) happens only when a
   * copy is made. What else is in {@code dir} (other versions' copies, a crash's partial copy) goes then.
   */
  static Path place(Path dir) throws IOException {
    Path target = dir.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + System.getProperty("os.arch") + "-"
        + LibraryLoaderUtil.getNativeLibName());
    if (Files.isRegularFile(target)) {
      return target;
    }
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
    URL url = SQLiteJDBCLoader.class.getResource(resource);
    if (url == null) {
      return null;
    }
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path partial = Files.createTempFile(dir, ".partial-", ".so");
    try (InputStream in = url.openStream()) {
      Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel written = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        written.force(true);
      }
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
