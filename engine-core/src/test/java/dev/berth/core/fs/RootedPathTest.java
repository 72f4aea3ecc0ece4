package dev.berth.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Container paths resolved under a root, as the container would see them: nothing escapes. */
class RootedPathTest {

  @TempDir
  Path tmp;
  Path root;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root")).toRealPath();
  }

  /** Resolves and checks the one invariant every answer must keep. */
  private Path resolve(String containerPath) throws IOException {
    Path p = RootedPath.resolve(root, containerPath);
    assertTrue(p.startsWith(root), p + " is outside " + root);
    assertEquals(p, p.normalize(), "no . or .. left in " + p);
    if (Files.exists(p)) {
      assertTrue(p.toRealPath().startsWith(root), p + " leads outside " + root);
    }
    return p;
  }

  private void link(String containerPath, String target) throws IOException {
    Path l = root.resolve(containerPath.substring(1));
    Files.createDirectories(l.getParent());
    Files.createSymbolicLink(l, Path.of(target));
  }

  private void file(String containerPath) throws IOException {
    Path f = root.resolve(containerPath.substring(1));
    Files.createDirectories(f.getParent());
    Files.writeString(f, containerPath);
  }

  private void dir(String containerPath) throws IOException {
    Files.createDirectories(root.resolve(containerPath.substring(1)));
  }

  @Test
  void plainPathsAreJoinedEvenWhenTheyDoNotExist() throws IOException {
    assertEquals(root.resolve("etc/passwd"), resolve("/etc/passwd"));
    assertEquals(root.resolve("etc/passwd"), resolve("etc/passwd"));
  }

  @Test
  void slashAndEmptyAreTheRoot() throws IOException {
    assertEquals(root, resolve("/"));
    assertEquals(root, resolve(""));
    assertEquals(root, resolve("."));
  }

  @Test
  void extraSlashesAndDotsAreIgnored() throws IOException {
    assertEquals(root.resolve("etc/passwd"), resolve("//etc/./passwd/"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/..", "/../..", "../../../..", "/a/../../..", "/a/b/../../../../"})
  void dotDotNeverClimbsAboveTheRoot(String path) throws IOException {
    assertEquals(root, resolve(path));
  }

  @Test
  void dotDotInsideThePathGoesUpOneLevel() throws IOException {
    assertEquals(root.resolve("etc/group"), resolve("/etc/x/../group"));
    assertEquals(root.resolve("etc"), resolve("/../../etc"));
  }

  @Test
  void linkToSlashStaysAtTheRoot() throws IOException {
    link("/escape", "/");
    assertEquals(root, resolve("/escape"));
    assertEquals(root.resolve("etc/passwd"), resolve("/escape/etc/passwd"));
    assertEquals(root.resolve("etc"), resolve("/escape/escape/escape/etc"));
  }

  @Test
  void linkClimbingUpwardsStopsAtTheRoot() throws IOException {
    link("/a/b/up", "../../../../../../..");
    assertEquals(root, resolve("/a/b/up"));
    assertEquals(root.resolve("etc/shadow"), resolve("/a/b/up/etc/shadow"));
  }

  @Test
  void absoluteLinkIsRelativeToTheRoot() throws IOException {
    file("/real/passwd");
    link("/etc/passwd", "/real/passwd");
    assertEquals(root.resolve("real/passwd"), resolve("/etc/passwd"));
  }

  @Test
  void linkToAHostPathPointsInsideTheRoot() throws IOException {
    Path outside = tmp.resolve("outside");
    Files.writeString(outside, "host secret");
    link("/etc/passwd", outside.toString());

    Path p = resolve("/etc/passwd");
    assertEquals(root.resolve(outside.toString().substring(1)), p);
    assertFalse(Files.exists(p));
  }

  @Test
  void relativeLinkIsRelativeToItsDirectory() throws IOException {
    file("/usr/bin/busybox");
    link("/usr/bin/sh", "busybox");
    link("/bin", "usr/bin");
    assertEquals(root.resolve("usr/bin/busybox"), resolve("/usr/bin/sh"));
    assertEquals(root.resolve("usr/bin/busybox"), resolve("/bin/sh"));
  }

  @Test
  void relativeLinkWithDotDotClimbsFromItsDirectory() throws IOException {
    file("/usr/lib/libc.so");
    link("/lib/libc.so", "../usr/lib/libc.so");
    assertEquals(root.resolve("usr/lib/libc.so"), resolve("/lib/libc.so"));
  }

  @Test
  void chainsOfLinksAreFollowed() throws IOException {
    file("/target/file");
    link("/a", "b");
    link("/b", "/c");
    link("/c", "./d/../target");
    dir("/d");
    assertEquals(root.resolve("target/file"), resolve("/a/file"));
  }

  @Test
  void dotDotAfterALinkLeavesTheLinksTarget() throws IOException {
    dir("/x/y");
    link("/l", "/x/y");
    assertEquals(root.resolve("x/z"), resolve("/l/../z"));
  }

  @Test
  void danglingLinkResolvesToWhereItWouldPoint() throws IOException {
    link("/etc/localtime", "/usr/share/zoneinfo/UTC");
    assertEquals(root.resolve("usr/share/zoneinfo/UTC"), resolve("/etc/localtime"));
  }

  @Test
  void loopIsAnError() throws IOException {
    link("/a", "b");
    link("/b", "/a");
    var e = assertThrows(InvalidArgumentException.class, () -> RootedPath.resolve(root, "/a/x"));
    assertEquals("too many levels of symbolic links: /a/x", e.getMessage());
  }

  @Test
  void linkToItselfIsAnError() throws IOException {
    link("/self", "self");
    assertThrows(InvalidArgumentException.class, () -> RootedPath.resolve(root, "/self"));
  }

  @Test
  void longButFiniteChainsResolve() throws IOException {
    dir("/end");
    for (int i = 0; i < 100; i++) {
      link("/l" + i, i == 99 ? "/end" : "l" + (i + 1));
    }
    assertEquals(root.resolve("end"), resolve("/l0"));
  }

  @Test
  void noMixOfHostileLinksEscapes() throws IOException {
    List<String> targets = List.of("/", "..", "../..", "/..", "../../../../..", "/a/..", "a/../../..", "/up/..",
        "./../.", "//..//..//");
    for (int i = 0; i < targets.size(); i++) {
      link("/up/l" + i, targets.get(i));
    }
    for (int i = 0; i < targets.size(); i++) {
      for (int j = 0; j < targets.size(); j++) {
        resolve("/up/l" + i + "/up/l" + j + "/etc/passwd");
        resolve("/up/l" + i + "/../up/l" + j + "/..");
      }
    }
  }

  @Test
  void isFileIsTrueOnlyForRegularFilesNotFollowingLinks() throws IOException {
    file("/f");
    dir("/d");
    link("/l", "/f");
    assertTrue(RootedPath.isFile(root.resolve("f")));
    assertFalse(RootedPath.isFile(root.resolve("d")));
    assertFalse(RootedPath.isFile(root.resolve("l")));
    assertFalse(RootedPath.isFile(root.resolve("missing")));
    assertTrue(RootedPath.isFile(RootedPath.resolve(root, "/l")));
  }

  @Test
  void mountsShowHostObjectsAtTheirDestinationsAndLinksCrossIntoThem() throws IOException {
    Path volume = Files.createDirectories(tmp.resolve("volume"));
    Files.writeString(volume.resolve("v.txt"), "in the volume");
    Path hosts = Files.writeString(tmp.resolve("hosts"), "generated");
    dir("/data");
    file("/data/hidden");
    link("/tolink", "/data");
    Files.createSymbolicLink(volume.resolve("back"), Path.of("../../etc"));
    file("/etc/passwd");
    try (RootedPath t = RootedPath.open(root, List.of(new RootedPath.Mount("/data", volume),
        new RootedPath.Mount("/etc/hosts", hosts), new RootedPath.Mount("/missing", tmp.resolve("nothing"))))) {
      assertEquals("in the volume", new String(t.read("/tolink/v.txt").orElseThrow()));
      assertTrue(t.read("/data/hidden").isEmpty(), "the mount hides what the root has there");
      assertEquals("/etc/passwd", new String(t.read("/data/back/passwd").orElseThrow()));
      assertEquals("generated", new String(t.read("/etc/hosts").orElseThrow()));
      try (var r = t.resolve("/missing/x", true)) {
        assertEquals("/missing/x", r.path());
        assertEquals(null, r.node());
      }
      try (var r = t.resolve("/data", true)) {
        assertEquals(List.of("back", "v.txt"), t.list(r.node()));
      }
    }
  }

  @Test
  void aResolvedDirectoryStaysTheOneResolvedWhenItsNameBecomesALink() throws IOException {
    dir("/a");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    try (RootedPath t = RootedPath.open(root); var r = t.resolve("/a", true)) {
      Files.move(root.resolve("a"), root.resolve("a.old"));
      Files.createSymbolicLink(root.resolve("a"), outside);
      RootedPath.Slot s = t.slot(r.node(), "new");
      dev.berth.core.os.RootedFiles.mkdir(s.dirFd(), s.name(), 0755);
      try (var again = t.resolve("/a/new", true)) {
        assertEquals("/a/new", again.path(), "the tree keeps the directory it opened");
        assertTrue(again.node().isDirectory());
      }
    }
    assertTrue(Files.isDirectory(root.resolve("a.old/new")));
    try (var s = Files.list(outside)) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void makingDirectoriesFollowsLinksInsideAndRefusesFiles() throws IOException {
    link("/w", "/real/work");
    file("/f");
    try (RootedPath t = RootedPath.open(root)) {
      t.makeDirectories("/w/sub");
      assertThrows(java.io.UncheckedIOException.class, () -> t.makeDirectories("/f/sub"));
    }
    assertTrue(Files.isDirectory(root.resolve("real/work/sub")));
  }
}
