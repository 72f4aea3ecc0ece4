package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteLibraryTest {

  @TempDir
  Path dir;

  @Test
  void theDriversLibraryIsCopiedOnceAndKept() throws Exception {
    Path placed = SqliteLibrary.place(dir.resolve("sqlite"));

    assertArrayEquals(driverLibrary(), Files.readAllBytes(placed));
    Object copy = Files.readAttributes(placed, BasicFileAttributes.class).fileKey();
    assertEquals(placed, SqliteLibrary.place(dir.resolve("sqlite")));
    assertEquals(copy, Files.readAttributes(placed, BasicFileAttributes.class).fileKey(), "not written again");
  }

  @Test
  void aCrashsPartialCopyAndOtherVersionsGoWhenACopyIsMade() throws Exception {
    Path sqlite = Files.createDirectories(dir.resolve("sqlite"));
    Files.writeString(sqlite.resolve("sqlite-3.0.0-libsqlitejdbc.so"), "an older version's");
    Files.writeString(sqlite.resolve(".partial-1.so"), "a crash's");

    Path placed = SqliteLibrary.place(sqlite);

    assertArrayEquals(driverLibrary(), Files.readAllBytes(placed));
    try (var left = Files.list(sqlite)) {
      assertEquals(List.of(placed), left.toList());
    }
  }

  @Test
  void aDatabaseLeavesNoCopyInTheTemporaryDirectory() throws Exception {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    String prefix = "sqlite-" + SQLiteJDBCLoader.getVersion() + "-";
    long before = copiesIn(tmp, prefix);
    try (var db = Database.open(dir.resolve("berth.db"))) {
      db.read(c -> c.createStatement().execute("SELECT 1"));
    }
    assertEquals(before, copiesIn(tmp, prefix));
    assertFalse(System.getProperty("org.sqlite.lib.path").startsWith(tmp.toString() + "/sqlite-"));
  }

  private static long copiesIn(Path tmp, String prefix) throws Exception {
    try (var entries = Files.list(tmp)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    }
  }

  private static byte[] driverLibrary() throws Exception {
    try (var in = SQLiteJDBCLoader.class.getResourceAsStream(LibraryLoaderUtil.getNativeLibResourcePath() + "/"
        + LibraryLoaderUtil.getNativeLibName())) {
      return in.readAllBytes();
    }
  }
}
