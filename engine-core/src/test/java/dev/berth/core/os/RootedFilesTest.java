package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openat2 confined to a root: {@code ..}, absolute symlinks and procfs magic links never lead out of
 * it, and single-name operations never follow a symlink.
 */
class RootedFilesTest {

  @TempDir
  Path tmp;
  Path root;
  Path host;
  int rootFd = -1;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("root"));
    host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("secret"), "host");
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/secret"), "inside");
    rootFd = RootedFiles.openDirectory(root);
  }

  @AfterEach
  void tearDown() {
    Fd.close(rootFd);
  }

  /** The content of what {@code path} opens to in the root, or null if it opens to nothing. */
  private String read(String path) throws IOException {
    int fd = RootedFiles.tryOpenInRoot(rootFd, path, RootedFiles.O_RDONLY, 0);
    if (fd < 0) {
      return null;
    }
    try {
      return Files.readString(Path.of("/proc/self/fd/" + fd));
    } finally {
      Fd.close(fd);
    }
  }

  @Test
  void dotDotStopsAtTheRoot() throws IOException {
    assertEquals("inside", read("../../../../etc/secret"));
    assertEquals("inside", read("/../etc/../../etc/secret"));
    String relative = "../".repeat(20) + host.toString().substring(1) + "/secret";
    assertNull(read(relative), "the host's file is not reached by climbing");
  }

  @Test
  void absoluteSymlinksResolveAgainstTheRoot() throws IOException {
    Files.createSymbolicLink(root.resolve("abs"), host);
    Files.createSymbolicLink(root.resolve("slash"), Path.of("/"));
    Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../../.."));
    assertNull(read("abs/secret"), "a link to a host directory is a path inside the root");
    assertEquals("inside", read("slash/etc/secret"));
    assertEquals("inside", read("up/etc/secret"));
    assertEquals("inside", read("up/up/slash/up/etc/secret"));

    Files.createDirectories(root.resolve(host.toString().substring(1)));
    Files.writeString(root.resolve(host.toString().substring(1)).resolve("secret"), "inside too");
    assertEquals("inside too", read("abs/secret"));
  }

  @Test
  void magicLinksAreRefused() throws IOException {
    // /proc/self's root, cwd and fd/N jump anywhere, whatever the root: openat2 refuses them.
    int proc = RootedFiles.openDirectory(Path.of("/proc/self"));
    try {
      assertTrue(Files.exists(Path.of("/proc/self/root" + host + "/secret")), "the host path through procfs");
      assertEquals(-RootedFiles.ELOOP, RootedFiles.tryOpenInRoot(proc, "root" + host + "/secret",
          RootedFiles.O_RDONLY, 0));
      assertEquals(-RootedFiles.ELOOP, RootedFiles.tryOpenInRoot(proc, "cwd", RootedFiles.O_PATH, 0));
      assertEquals(-RootedFiles.ELOOP, RootedFiles.tryOpenInRoot(proc, "fd/" + rootFd + "/etc",
          RootedFiles.O_PATH, 0));
    } finally {
      Fd.close(proc);
    }
    // A container's link to its own /proc/self/root stays in the container.
    Files.createSymbolicLink(root.resolve("magic"), Path.of("/proc/self/root"));
    assertNull(read("magic" + host + "/secret"));
  }

  @Test
  void singleNamesNeverFollowALink() throws IOException {
    Files.createSymbolicLink(root.resolve("abs"), host.resolve("secret"));
    assertEquals(-RootedFiles.ELOOP, RootedFiles.tryOpenAt(rootFd, "abs", RootedFiles.O_RDONLY, 0));
    int link = RootedFiles.openAt(rootFd, "abs", RootedFiles.O_PATH, 0);
    try {
      assertTrue(RootedFiles.stat(link, "").isSymlink(), "O_PATH gives the link itself");
      assertEquals(host.resolve("secret").toString(), RootedFiles.readlink(link));
      RootedFiles.setTimes(link, Instant.EPOCH, Instant.EPOCH);
      RootedFiles.chown(link, 1234, 1234);
    } finally {
      Fd.close(link);
    }
    assertEquals(1234, Files.getAttribute(root.resolve("abs"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
    assertEquals(0, Files.getAttribute(host.resolve("secret"), "unix:uid"), "the link's target was not changed");
    assertTrue(Files.getLastModifiedTime(host.resolve("secret")).toInstant().isAfter(Instant.EPOCH));

    for (String bad : new String[] {"..", ".", "", "etc/secret", "a/../b"}) {
      assertThrows(IllegalArgumentException.class, () -> RootedFiles.tryOpenAt(rootFd, bad, RootedFiles.O_PATH, 0));
      assertThrows(IllegalArgumentException.class, () -> RootedFiles.unlink(rootFd, bad, false));
    }
    assertNull(RootedFiles.stat(rootFd, "missing"));
  }

  @Test
  void aDescriptorKeepsItsDirectoryWhenTheNameBecomesALink() throws IOException {
    int etc = RootedFiles.openAt(rootFd, "etc", RootedFiles.O_PATH | RootedFiles.O_DIRECTORY, 0);
    try {
      Files.move(root.resolve("etc"), root.resolve("etc.old"));
      Files.createSymbolicLink(root.resolve("etc"), host);
      int f = RootedFiles.openAt(etc, "new", RootedFiles.O_WRONLY | RootedFiles.O_CREAT | RootedFiles.O_EXCL, 0600);
      Fd.close(f);
    } finally {
      Fd.close(etc);
    }
    assertTrue(Files.exists(root.resolve("etc.old/new")));
    assertTrue(Files.notExists(host.resolve("new")));
  }

  @Test
  void attributesOfALinkDescriptorAreTheLinksOwn() throws IOException {
    FileNodes.setXattr(host.resolve("secret"), "trusted.host", new byte[] {1});
    Files.createSymbolicLink(root.resolve("abs"), host.resolve("secret"));
    int link = RootedFiles.openAt(rootFd, "abs", RootedFiles.O_PATH, 0);
    try {
      assertEquals(List.of(), RootedFiles.listXattrs(link, true));
      RootedFiles.setXattr(link, true, "trusted.link", new byte[] {2});
      assertEquals(List.of("trusted.link"), RootedFiles.listXattrs(link, true));
    } finally {
      Fd.close(link);
    }
    assertEquals(List.of("trusted.link"), FileNodes.listXattrs(root.resolve("abs")));
    assertEquals(List.of("trusted.host"), FileNodes.listXattrs(host.resolve("secret")));
  }

  @Test
  void contentIsCopiedWithinAndAcrossFileSystems() throws IOException {
    byte[] data = new byte[5 * 1024 * 1024 + 3];
    new java.util.Random(7).nextBytes(data);
    // /dev/shm is tmpfs: copy_file_range refuses to cross into another file system, sendfile does not.
    for (Path from : new Path[] {tmp.resolve("data"), Files.createTempFile(Path.of("/dev/shm"), "berth-", "")}) {
      try {
        Files.write(from, data);
        int in = Fd.open(from, RootedFiles.O_RDONLY);
        int out = RootedFiles.openAt(rootFd, "copy", RootedFiles.O_WRONLY | RootedFiles.O_CREAT | RootedFiles.O_EXCL,
            0600);
        try {
          assertEquals(data.length, RootedFiles.copyContent(in, out));
        } finally {
          Fd.close(in);
          Fd.close(out);
        }
        assertArrayEquals(data, Files.readAllBytes(root.resolve("copy")), from.toString());
        Files.delete(root.resolve("copy"));
      } finally {
        Files.delete(from);
      }
    }
  }

  @Test
  void aRaceOfADirectoryAndAHostLinkNeverReachesTheHost() throws Exception {
    Path d = Files.createDirectories(root.resolve("d"));
    Files.writeString(d.resolve("secret"), "inside");
    Files.createSymbolicLink(root.resolve("l"), host);
    var stop = new AtomicBoolean();
    Thread swapper = Thread.ofPlatform().start(() -> {
      while (!stop.get()) {
        try {
          Files.move(root.resolve("d"), root.resolve("x"), StandardCopyOption.ATOMIC_MOVE);
          Files.move(root.resolve("l"), root.resolve("d"), StandardCopyOption.ATOMIC_MOVE);
          Files.move(root.resolve("d"), root.resolve("l"), StandardCopyOption.ATOMIC_MOVE);
          Files.move(root.resolve("x"), root.resolve("d"), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      }
    });
    int seen = 0;
    try {
      for (int i = 0; i < 20000; i++) {
        String s = read("d/secret");
        assertTrue(s == null || s.equals("inside"), s);
        seen += s == null ? 0 : 1;
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
    assertTrue(seen > 0);
    assertEquals("host", new String(Files.readAllBytes(host.resolve("secret")), StandardCharsets.UTF_8));
  }

  @Test
  void metadataGoesToTheObjectOfTheDescriptor() throws IOException {
    RootedFiles.mkdir(rootFd, "dir", 0700);
    int dir = RootedFiles.openAt(rootFd, "dir", RootedFiles.O_PATH | RootedFiles.O_DIRECTORY, 0);
    try {
      RootedFiles.chmod(dir, 0751);
      RootedFiles.setXattr(dir, true, "user.note", "n".getBytes(StandardCharsets.UTF_8));
      assertEquals("n", new String(RootedFiles.getXattr(dir, true, "user.note").orElseThrow(), StandardCharsets.UTF_8));
      RootedFiles.mknod(dir, "fifo", RootedFiles.S_IFIFO | 0640, 0, 0);
      RootedFiles.symlink("/etc/secret", dir, "l");
      int l = RootedFiles.openAt(dir, "l", RootedFiles.O_PATH, 0);
      RootedFiles.link(l, dir, "hard");
      Fd.close(l);
      RootedFiles.rename(dir, "hard", dir, "hard2");
      assertNotNull(RootedFiles.stat(dir, "hard2"));
      assertEquals(java.util.List.of("fifo", "hard2", "l"), RootedFiles.list(dir).stream().sorted().toList());
    } finally {
      Fd.close(dir);
    }
    assertEquals(0751, (int) Files.getAttribute(root.resolve("dir"), "unix:mode") & 07777);
    assertEquals("inside", Files.readString(root.resolve("etc/secret")), "the links were made, not followed");
  }
}
