package dev.berth.core.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.image.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile tars for {@code docker cp}: names that climb or are absolute, links out of the root, and
 * links the tree or the tar plants; whatever is refused or confined, nothing outside the container's
 * root changes.
 */
class TarUnpackerTest {

  @TempDir
  Path tmp;
  Path root;
  Path host;
  RootedPath tree;

  @BeforeEach
  void setUp() throws IOException {
    // tmp/c/root is the container; tmp/host stands for the host.
    root = Files.createDirectories(tmp.resolve("c/root"));
    host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("passwd"), "root:x:0:0\n");
    Files.createDirectories(root.resolve("tmp"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "inside\n");
    Files.createSymbolicLink(root.resolve("tmp/host"), host);
    Files.createSymbolicLink(root.resolve("tmp/up"), Path.of("../../../.."));
    tree = RootedPath.open(root);
  }

  @AfterEach
  void tearDown() {
    tree.close();
  }

  private void unpack(TarBuilder tar, String dest) {
    try (RootedPath.Resolution d = tree.resolve(dest, true)) {
      TarUnpacker.unpack(new ByteArrayInputStream(tar.build()), () -> tree, d.node(),
          new TarUnpacker.Options(false, -1, -1));
    }
  }

  /** Everything outside the container's root, with content, owner, mode and times. */
  private Map<String, String> outside() throws IOException {
    var snapshot = new TreeMap<String, String>();
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.filter(p -> !p.startsWith(root)).toList()) {
        String content = Files.isRegularFile(p, NOFOLLOW_LINKS) ? Files.readString(p) : "";
        snapshot.put(tmp.relativize(p).toString(), Files.readAttributes(p, "unix:mode,uid,nlink,lastModifiedTime",
            NOFOLLOW_LINKS) + " " + content);
      }
    }
    return snapshot;
  }

  private void assertRefusedAndContained(TarBuilder tar, String dest, String message) throws IOException {
    Map<String, String> before = outside();
    var e = assertThrows(InvalidArgumentException.class, () -> unpack(tar, dest));
    if (message != null) {
      assertEquals(message, e.getMessage());
    }
    assertEquals(before, outside());
  }

  @Test
  void dotDotNamesAreRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().file("../../../host/pwned", "x"), "/tmp",
        "\"../../../host/pwned\" is outside of \"/tmp\"");
    assertRefusedAndContained(new TarBuilder().file("a/../../pwned", "x"), "/tmp", null);
  }

  @Test
  void dotDotThatStaysBelowTheDestinationIsCleaned() throws IOException {
    Map<String, String> before = outside();
    unpack(new TarBuilder().file("a/../b.txt", "x"), "/tmp");
    assertTrue(Files.exists(root.resolve("tmp/b.txt")));
    assertEquals(before, outside());
  }

  @Test
  void absoluteNamesAreTakenBelowTheDestination() throws IOException {
    Map<String, String> before = outside();
    unpack(new TarBuilder().file(host.resolve("pwned").toString(), "x"), "/tmp");
    assertTrue(Files.exists(root.resolve("tmp").resolve(host.toString().substring(1)).resolve("pwned")));
    assertEquals(before, outside());
  }

  @Test
  void symlinksWhoseTargetClimbsOutAreRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().symlink("l", "../../x"), "/tmp", "invalid symlink \"/tmp/l\" -> \"../../x\"");
  }

  @Test
  void writingThroughLinksOfTheTreeStaysInside() throws IOException {
    Map<String, String> before = outside();
    unpack(new TarBuilder().file("host/passwd", "owned").file("up/etc/passwd", "replaced\n"), "/tmp");
    assertEquals(before, outside());
    assertEquals("replaced\n", Files.readString(root.resolve("etc/passwd")), "../.. stopped at the root");
    assertEquals("owned", Files.readString(root.resolve(host.toString().substring(1)).resolve("passwd")));
  }

  @Test
  void aLinkTheTarPlantsLeadsInsideToo() throws IOException {
    Map<String, String> before = outside();
    unpack(new TarBuilder().symlink("evil", host.toString()).file("evil/passwd", "owned").dir("evil/dir")
        .fifo("evil/fifo"), "/tmp");
    assertEquals(before, outside());
    assertTrue(Files.exists(root.resolve(host.toString().substring(1)).resolve("fifo"), NOFOLLOW_LINKS));
  }

  @Test
  void hardLinksOutOfTheRootAreRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().hardlink("h", "../../host/passwd"), "/tmp",
        "invalid hardlink \"/host/passwd\" -> \"../../host/passwd\"");
    // A link through the tree's own symlink to the host resolves inside, where there is no such file.
    assertRefusedAndContained(new TarBuilder().hardlink("h", "host/passwd"), "/tmp", null);
    assertRefusedAndContained(new TarBuilder().hardlink("h", host.resolve("passwd").toString()), "/", null);
  }

  @Test
  void aHardLinkInsideIsMade() throws IOException {
    unpack(new TarBuilder().file("a", "x").hardlink("b", "a"), "/");
    assertEquals(Files.getAttribute(root.resolve("a"), "unix:ino"), Files.getAttribute(root.resolve("b"), "unix:ino"));
  }

  @Test
  void aFileReplacesASymlinkInsteadOfWritingThroughIt() throws IOException {
    Map<String, String> before = outside();
    Files.createSymbolicLink(root.resolve("tmp/f"), host.resolve("passwd"));
    unpack(new TarBuilder().file("f", "mine"), "/tmp");
    assertEquals(before, outside());
    assertFalse(Files.isSymbolicLink(root.resolve("tmp/f")));
    assertEquals("mine", Files.readString(root.resolve("tmp/f")));
  }

  @Test
  void directoryTimesAndModesAreSetLastAndNeverThroughALink() throws IOException {
    Map<String, String> before = outside();
    // "d" gets its mode and times at the end; by then a later entry replaced it by a link to the host.
    unpack(new TarBuilder().dir("d", 0700).file("d/f", "x").symlink("d", host.toString()), "/tmp");
    assertEquals(before, outside());
    assertTrue(Files.isSymbolicLink(root.resolve("tmp/d")));
  }

  @Test
  void moreDirectoriesThanAreKeptOpenAreAllWrittenAndTarredBack() throws IOException {
    var tar = new TarBuilder();
    for (int i = 0; i < 1200; i++) {
      tar.dir("many/d" + i, 0750).file("many/d" + i + "/f", "f" + i);
    }
    // Again at the end: the first directories were long since let go.
    tar.file("many/d0/g", "g");
    unpack(tar, "/tmp");
    for (int i = 0; i < 1200; i += 97) {
      assertEquals("f" + i, Files.readString(root.resolve("tmp/many/d" + i + "/f")));
      assertEquals(0750, (int) Files.getAttribute(root.resolve("tmp/many/d" + i), "unix:mode") & 07777);
    }
    var out = new java.io.ByteArrayOutputStream();
    var w = new TarWriter(out, false);
    try (var r = tree.resolve("/tmp/many", true)) {
      w.addTree("many", tree, r.node());
    }
    w.finish();
    int entries = 0;
    try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
        new ByteArrayInputStream(out.toByteArray()))) {
      while (in.getNextEntry() != null) {
        entries++;
      }
    }
    assertEquals(1 + 1200 * 2 + 1, entries);
  }
}
