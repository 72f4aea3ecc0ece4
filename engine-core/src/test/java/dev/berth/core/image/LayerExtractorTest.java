package dev.berth.core.image;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.FileNodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerExtractorTest {

  private static final FileTime MTIME = FileTime.from(TarBuilder.MTIME);

  @TempDir
  Path tmp;
  Path root;
  Path victim;

  @BeforeEach
  void setUp() throws IOException {
    // tmp/outer/root is the layer; tmp/victim stands for the host, and ../.. from the root is tmp.
    root = Files.createDirectories(tmp.resolve("outer/root"));
    victim = Files.createDirectories(tmp.resolve("victim"));
    Files.writeString(victim.resolve("passwd"), "root:x:0:0\n");
    Files.setAttribute(victim, "unix:mode", 0755);
  }

  private long extract(TarBuilder t) {
    return LayerExtractor.extract(new ByteArrayInputStream(t.build()), root);
  }

  private static int mode(Path p) throws IOException {
    return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW_LINKS);
  }

  private static int uid(Path p) throws IOException {
    return (int) Files.getAttribute(p, "unix:uid", NOFOLLOW_LINKS);
  }

  private static int gid(Path p) throws IOException {
    return (int) Files.getAttribute(p, "unix:gid", NOFOLLOW_LINKS);
  }

  /** glibc's st_rdev for small numbers. */
  private static long dev(int major, int minor) {
    return ((long) major << 8) | minor;
  }

  private static FileTime mtime(Path p) throws IOException {
    return Files.getLastModifiedTime(p, NOFOLLOW_LINKS);
  }

  // ---- entry kinds

  @Test
  void regularFileKeepsContentModeOwnerAndMtime() throws IOException {
    long size = extract(new TarBuilder().file("a/b.txt", "hello".getBytes(StandardCharsets.UTF_8), 0640, 1000, 2000));
    Path f = root.resolve("a/b.txt");
    assertEquals("hello", Files.readString(f));
    assertEquals(0640, mode(f) & 07777);
    assertEquals(1000, uid(f));
    assertEquals(2000, gid(f));
    assertEquals(MTIME, mtime(f));
    assertEquals(5, size);
    // A parent the tar does not list is made 0755, as Docker does.
    assertEquals(0755, mode(root.resolve("a")) & 07777);
  }

  @Test
  void setuidSetgidAndStickyBitsSurviveChown() throws IOException {
    extract(new TarBuilder()
        .file("suid", new byte[] {1}, 04755, 1000, 1000)
        .file("sgid", new byte[] {1}, 02755, 1000, 1000)
        .dir("sticky", 01777));
    assertEquals(04755, mode(root.resolve("suid")) & 07777);
    assertEquals(02755, mode(root.resolve("sgid")) & 07777);
    assertEquals(01777, mode(root.resolve("sticky")) & 07777);
  }

  @Test
  void symlinkIsCreatedWithOwnerAndMtimeOfItsOwn() throws IOException {
    Files.setLastModifiedTime(victim.resolve("passwd"), FileTime.from(Instant.parse("2020-05-05T00:00:00Z")));
    var t = new TarBuilder().symlink("link", victim.resolve("passwd").toString());
    extract(t);
    Path link = root.resolve("link");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals(victim.resolve("passwd").toString(), Files.readSymbolicLink(link).toString());
    assertEquals(MTIME, mtime(link));
    // The target's times were not touched through the link.
    assertEquals(FileTime.from(Instant.parse("2020-05-05T00:00:00Z")), mtime(victim.resolve("passwd")));
  }

  @Test
  void symlinkOwnershipIsLchown() throws IOException {
    extract(new TarBuilder().symlink("l", victim.resolve("passwd").toString(), 1000, 1001));
    assertEquals(1000, uid(root.resolve("l")));
    assertEquals(1001, gid(root.resolve("l")));
    assertEquals(0, uid(victim.resolve("passwd")));
  }

  @Test
  void hardlinkSharesTheInode() throws IOException {
    extract(new TarBuilder().file("bin/busybox", "bb").hardlink("bin/sh", "bin/busybox"));
    Object a = Files.getAttribute(root.resolve("bin/busybox"), "unix:ino");
    Object b = Files.getAttribute(root.resolve("bin/sh"), "unix:ino");
    assertEquals(a, b);
  }

  @Test
  void xattrsFromPaxHeadersAreSet() throws IOException {
    extract(new TarBuilder().file("f", "x").xattr("user.color", "blue").xattr("trusted.note", "n"));
    assertArrayEquals("blue".getBytes(StandardCharsets.UTF_8), FileNodes.getXattr(root.resolve("f"), "user.color").orElseThrow());
    assertArrayEquals("n".getBytes(StandardCharsets.UTF_8), FileNodes.getXattr(root.resolve("f"), "trusted.note").orElseThrow());
  }

  @Test
  void overlayXattrsFromTheTarAreRefused() {
    extract(new TarBuilder().dir("d").xattr("trusted.overlay.redirect", "/etc").xattr("trusted.overlay.opaque", "y"));
    assertTrue(FileNodes.getXattr(root.resolve("d"), "trusted.overlay.redirect").isEmpty());
    assertTrue(FileNodes.getXattr(root.resolve("d"), "trusted.overlay.opaque").isEmpty());
  }

  @Test
  void devicesAndFifos() throws IOException {
    extract(new TarBuilder().dir("dev").charDevice("dev/null", 1, 3).blockDevice("dev/loop9", 7, 9).fifo("dev/fifo"));
    assertEquals(0020000, mode(root.resolve("dev/null")) & 0170000);
    assertEquals(dev(1, 3), Files.getAttribute(root.resolve("dev/null"), "unix:rdev", NOFOLLOW_LINKS));
    assertEquals(0060000, mode(root.resolve("dev/loop9")) & 0170000);
    assertEquals(dev(7, 9), Files.getAttribute(root.resolve("dev/loop9"), "unix:rdev", NOFOLLOW_LINKS));
    assertEquals(0010000, mode(root.resolve("dev/fifo")) & 0170000);
    assertEquals(0666, mode(root.resolve("dev/null")) & 07777);
  }

  @Test
  void directoryModeAndMtimeAreAppliedAfterItsContents() throws IOException {
    extract(new TarBuilder().dir("ro", 0555).file("ro/inside", "x").dir("ro/sub", 0500).file("ro/sub/deep", "y"));
    assertEquals("x", Files.readString(root.resolve("ro/inside")));
    assertEquals(0555, mode(root.resolve("ro")) & 07777);
    assertEquals(0500, mode(root.resolve("ro/sub")) & 07777);
    assertEquals(MTIME, mtime(root.resolve("ro")));
    assertEquals(MTIME, mtime(root.resolve("ro/sub")));
  }

  @Test
  void rootEntrySetsTheRootsModeAndOwner() throws IOException {
    extract(new TarBuilder().dir("./", 0750, 5, 6).file("f", "x"));
    assertEquals(0750, mode(root) & 07777);
    assertEquals(5, uid(root));
    assertEquals(MTIME, mtime(root));
  }

  @Test
  void laterEntryReplacesEarlierButDirectoriesMerge() throws IOException {
    extract(new TarBuilder().file("x", "1").file("x", "2").dir("d").file("d/a", "a").dir("d", 0700).symlink("s", "x")
        .file("s", "file now"));
    assertEquals("2", Files.readString(root.resolve("x")));
    assertEquals("a", Files.readString(root.resolve("d/a")));
    assertEquals(0700, mode(root.resolve("d")) & 07777);
    assertFalse(Files.isSymbolicLink(root.resolve("s")));
    assertEquals("file now", Files.readString(root.resolve("s")));
    assertEquals("2", Files.readString(root.resolve("x")));
  }

  // ---- whiteouts

  @Test
  void whiteoutBecomesACharacterDevice00() throws IOException {
    extract(new TarBuilder().dir("etc").file("etc/.wh.motd", new byte[0], 0644));
    Path w = root.resolve("etc/motd");
    assertEquals(0020000, mode(w) & 0170000);
    assertEquals(0L, Files.getAttribute(w, "unix:rdev", NOFOLLOW_LINKS));
    assertFalse(Files.exists(root.resolve("etc/.wh.motd"), NOFOLLOW_LINKS));
  }

  @Test
  void opaqueMarkerSetsTheOverlayXattr() {
    extract(new TarBuilder().dir("srv").file("srv/.wh..wh..opq", new byte[0], 0644).file("srv/new", "n"));
    assertArrayEquals(new byte[] {'y'}, FileNodes.getXattr(root.resolve("srv"), LayerExtractor.OPAQUE_XATTR).orElseThrow());
    assertFalse(Files.exists(root.resolve("srv/.wh..wh..opq"), NOFOLLOW_LINKS));
  }

  @Test
  void otherAufsMetadataIsSkipped() {
    extract(new TarBuilder().dir(".wh..wh.plnk").file(".wh..wh.plnk/123.4", "x").file("d/.wh..wh.aufs", "")
        .file("keep", "k"));
    assertFalse(Files.exists(root.resolve(".wh..wh.plnk")));
    assertFalse(Files.exists(root.resolve("d/.wh..wh.aufs")));
    assertTrue(Files.exists(root.resolve("keep")));
  }

  // ---- escapes: each must fail with 400 and leave everything outside the root as it was

  private Map<String, String> outside() throws IOException {
    var snapshot = new TreeMap<String, String>();
    try (Stream<Path> s = Files.walk(tmp)) {
      for (Path p : s.filter(p -> !p.startsWith(root)).toList()) {
        String content = Files.isRegularFile(p, NOFOLLOW_LINKS) ? Files.readString(p) : "";
        snapshot.put(tmp.relativize(p).toString(),
            Integer.toOctalString(mode(p)) + " " + uid(p) + " " + mtime(p) + " " + content
                + " " + FileNodes.listXattrs(p));
      }
    }
    return snapshot;
  }

  private void assertRefusedAndContained(TarBuilder t) throws IOException {
    Map<String, String> before = outside();
    assertThrows(InvalidArgumentException.class, () -> extract(t));
    assertEquals(before, outside());
  }

  @Test
  void dotDotNameIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().file("../../victim/pwned", "x"));
    assertRefusedAndContained(new TarBuilder().file("a/../../../victim/pwned", "x"));
  }

  @Test
  void absoluteNameIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().file(victim.resolve("pwned").toString(), "x"));
  }

  @Test
  void writingThroughAnAbsoluteSymlinkIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().symlink("a", victim.toString()).file("a/passwd", "owned"));
  }

  @Test
  void writingThroughARelativeSymlinkUpwardsIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().symlink("a", "../..").file("a/victim/passwd", "owned"));
  }

  @Test
  void directoryThroughASymlinkIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().symlink("a", victim.toString()).dir("a/newdir"));
  }

  @Test
  void deviceAndWhiteoutAndOpaqueThroughASymlinkAreRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().symlink("a", victim.toString()).fifo("a/fifo"));
    assertRefusedAndContained(new TarBuilder().symlink("a", victim.toString()).file("a/.wh.passwd", ""));
    assertRefusedAndContained(new TarBuilder().symlink("a", victim.toString()).file("a/.wh..wh..opq", ""));
  }

  @Test
  void hardlinkToOutsideIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().hardlink("h", "../../victim/passwd"));
    assertRefusedAndContained(new TarBuilder().hardlink("h", victim.resolve("passwd").toString()));
  }

  @Test
  void hardlinkThroughASymlinkIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().symlink("a", victim.toString()).hardlink("h", "a/passwd"));
  }

  @Test
  void hardlinkToAMissingTargetIsRefused() throws IOException {
    assertRefusedAndContained(new TarBuilder().hardlink("h", "nothing"));
  }

  @Test
  void replacingASymlinkWithAFileDoesNotWriteThroughIt() throws IOException {
    Map<String, String> before = outside();
    extract(new TarBuilder().symlink("a", victim.resolve("passwd").toString()).file("a", "mine"));
    assertEquals(before, outside());
    assertEquals("mine", Files.readString(root.resolve("a")));
  }

  @Test
  void laterSymlinkOverADirectoryDoesNotRedirectItsDeferredMode() throws IOException {
    Map<String, String> before = outside();
    // "d" gets mode 0700 deferred; then d is replaced by a link to the victim, and so is a parent.
    extract(new TarBuilder().dir("d", 0700).dir("p").dir("p/victim", 0700).symlink("d", victim.toString())
        .symlink("p", "../.."));
    assertEquals(before, outside());
  }

  @Test
  void symlinkItselfMayPointAnywhere() throws IOException {
    extract(new TarBuilder().symlink("up", "../../..").symlink("abs", "/etc/passwd"));
    assertEquals("../../..", Files.readSymbolicLink(root.resolve("up")).toString());
  }

  @Test
  void truncatedTarIsRejected() {
    byte[] tar = new TarBuilder().file("f", new byte[4000], 0644).build();
    byte[] cut = java.util.Arrays.copyOf(tar, 1500);
    assertThrows(InvalidArgumentException.class, () -> LayerExtractor.extract(new ByteArrayInputStream(cut), root));
  }
}
