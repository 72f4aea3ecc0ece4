package dev.berth.core.fs;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.FileNodes;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Copy-up: everything a container cares about arrives, and a container racing the copy in the
 * destination cannot make it write or change anything outside.
 */
class TreeCopyTest {

  private static final Instant T1 = Instant.parse("2021-03-04T05:06:07.123456789Z");
  private static final Instant T2 = Instant.parse("2022-08-09T10:11:12.987654321Z");
  // A file capability (VFS_CAP_REVISION_2, effective): cap_net_bind_service. chown removes it.
  private static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

  @TempDir
  Path tmp;

  @Test
  void copiesOwnersModesTimesLinksNodesAndAttributes() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("secret"), "host");
    Path dir = Files.createDirectory(src.resolve("dir"));
    Path file = Files.writeString(dir.resolve("file"), "content");
    Files.write(src.resolve("big"), new byte[3 * 1024 * 1024 + 17]);
    owner(file, 1000, 1001);
    Files.setAttribute(file, "unix:mode", 04755);
    FileNodes.setXattr(file, "user.color", "blue".getBytes(StandardCharsets.UTF_8));
    FileNodes.setXattr(file, "trusted.note", new byte[] {0, 1, 2});
    FileNodes.setXattr(file, "trusted.overlay.origin", new byte[] {9});
    FileNodes.setXattr(file, "security.capability", CAPABILITY);
    FileNodes.setTimes(file, T1, T2);
    Files.createLink(src.resolve("hard"), file);
    Path link = Files.createSymbolicLink(src.resolve("link"), Path.of("/etc/passwd"));
    owner(link, 1234, 1235);
    FileNodes.setXattr(link, "trusted.link", new byte[] {7});
    FileNodes.setTimes(link, T2, T1);
    Files.createSymbolicLink(src.resolve("out"), host);
    Files.createLink(src.resolve("hardlink"), link);
    FileNodes.mknod(src.resolve("fifo"), FileNodes.S_IFIFO, 0640, 0, 0);
    FileNodes.mknod(src.resolve("null"), FileNodes.S_IFCHR, 0666, 1, 3);
    try (var socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(src.resolve("sock")));
      owner(dir, 1234, 1234);
      Files.setAttribute(dir, "unix:mode", 02750);
      FileNodes.setXattr(dir, "trusted.dir", new byte[] {1});
      FileNodes.setTimes(dir, T2, T2);
      owner(src, 99, 98);
      Files.setAttribute(src, "unix:mode", 0711);
      FileNodes.setTimes(src, T1, T1);
      Path dst = Files.createDirectory(tmp.resolve("dst"));

      TreeCopy.copy(src, dst);

      Path copied = dst.resolve("dir/file");
      // Times as they were before the copy read the source (which may touch access times), as moby copies them.
      assertSame(file, copied, T1, T2);
      assertSame(dir, dst.resolve("dir"), T2, T2);
      assertSame(link, dst.resolve("link"), T2, T1);
      assertSame(src, dst, T1, T1);
      assertEquals(List.of("big", "dir", "fifo", "hard", "hardlink", "link", "null", "out"), names(dst),
          "the socket stays behind");
      assertEquals("content", Files.readString(copied));
      assertEquals(Files.size(src.resolve("big")), Files.size(dst.resolve("big")));
      assertEquals(-1, Files.mismatch(src.resolve("big"), dst.resolve("big")));
      assertEquals(04755, mode(copied), "setuid survives the chown");
      assertArrayEquals(CAPABILITY, FileNodes.getXattr(copied, "security.capability").orElseThrow(),
          "set after the chown, which removes it");
      assertTrue(FileNodes.getXattr(copied, "trusted.overlay.origin").isEmpty());
      assertEquals(ino(copied), ino(dst.resolve("hard")));
      assertEquals(ino(dst.resolve("link")), ino(dst.resolve("hardlink")), "a hard link to a symlink stays one");
      assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(dst.resolve("link")));
      assertEquals(host, Files.readSymbolicLink(dst.resolve("out")));
      assertEquals(List.of("secret"), names(host));
      assertEquals("p", type(dst.resolve("fifo")));
      assertEquals("c", type(dst.resolve("null")));
      assertEquals(Files.getAttribute(src.resolve("null"), "unix:rdev"), Files.getAttribute(dst.resolve("null"),
          "unix:rdev"));
      assertEquals(0640, mode(dst.resolve("fifo")));
    }
  }

  @Test
  void aTargetThatIsASymlinkIsRefused() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("f"), "x");
    Path host = Files.createDirectories(tmp.resolve("host"));
    Path dst = Files.createSymbolicLink(tmp.resolve("dst"), host);
    assertThrows(ErrnoException.class, () -> TreeCopy.copy(src, dst));
    assertEquals(List.of(), names(host));
  }

  @Test
  void anEntryMadeByAnotherWriterIsNotTakenOver() throws IOException {
    Path src = Files.createDirectories(tmp.resolve("src"));
    Files.writeString(src.resolve("f"), "x");
    Path host = Files.writeString(tmp.resolve("host"), "host");
    Path dst = Files.createDirectory(tmp.resolve("dst"));
    Files.createSymbolicLink(dst.resolve("f"), host);
    assertThrows(ErrnoException.class, () -> TreeCopy.copy(src, dst), "EEXIST: never opened");
    assertEquals("host", Files.readString(host));
  }

  /**
   * The container that has the volume mounted swaps each directory the copy makes for a symlink to
   * a host directory and back, as fast as it can, while the copy runs, again and again. Copies may
   * fail; nothing may appear in the host directory, and nothing in it may change.
   */
  @Test
  void aContainerSwappingDirectoriesForSymlinksCannotMakeTheCopyWriteOutside() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src"));
    var victims = new ArrayList<String>();
    for (int d = 0; d < 10; d++) {
      victims.add("d" + d);
      for (int s = 0; s < 2; s++) {
        String sub = "d" + d + "/s" + s;
        victims.add(sub);
        Path dir = Files.createDirectories(src.resolve(sub));
        for (int f = 0; f < 12; f++) {
          Path p = Files.writeString(dir.resolve("f" + f), "data " + f);
          owner(p, 4321, 4321);
          Files.setAttribute(p, "unix:mode", 0600);
          FileNodes.setXattr(p, "trusted.x", new byte[] {1});
        }
        Files.createSymbolicLink(dir.resolve("l"), Path.of("f0"));
        Files.createLink(dir.resolve("h"), dir.resolve("f1"));
        owner(dir, 4321, 4321);
        Files.setAttribute(dir, "unix:mode", 0700);
      }
      owner(src.resolve("d" + d), 4321, 4321);
      Files.setAttribute(src.resolve("d" + d), "unix:mode", 0777);
    }
    // Named as the copy's directories, so a write, chown or chmod by path through a link would change them.
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.createDirectories(host.resolve("s0"));
    Files.createDirectories(host.resolve("s1"));
    Files.writeString(host.resolve("s0/keep"), "host");
    Map<String, List<Object>> before = snapshot(host);

    var stop = new AtomicBoolean();
    var swaps = new AtomicInteger();
    var target = new AtomicReference<Path>();
    Thread attacker = Thread.ofPlatform().start(() -> {
      int i = 0;
      while (!stop.get()) {
        Path t = target.get();
        if (t == null) {
          Thread.onSpinWait();
          continue;
        }
        Path victim = t.resolve(victims.get(i++ % victims.size()));
        Path away = victim.resolveSibling(".away");
        try {
          if (!Files.isDirectory(victim, NOFOLLOW_LINKS)) {
            continue;
          }
          Files.move(victim, away, StandardCopyOption.ATOMIC_MOVE);
          try {
            Files.createSymbolicLink(victim, host);
            swaps.incrementAndGet();
            for (int spin = 0; spin < 200; spin++) {
              Thread.onSpinWait();
            }
            Files.delete(victim);
          } finally {
            Files.move(away, victim, StandardCopyOption.ATOMIC_MOVE);
          }
        } catch (IOException e) {
          // the copy made or moved the name meanwhile; try the next one
        }
      }
    });
    int copies = 0;
    int failed = 0;
    long deadline = System.nanoTime() + 4_000_000_000L;
    try {
      while (copies < 300 && System.nanoTime() < deadline) {
        Path dst = Files.createDirectory(tmp.resolve("vol" + copies));
        target.set(dst);
        try {
          TreeCopy.copy(src, dst);
        } catch (InternalException | ErrnoException e) {
          failed++;
        } finally {
          target.set(null);
        }
        copies++;
      }
    } finally {
      stop.set(true);
      attacker.join();
    }
    assertTrue(swaps.get() > 0, "the attacker swapped");
    assertEquals(before, snapshot(host), copies + " copies, " + failed + " failed, " + swaps + " swaps");
    assertNotEquals(0, copies);
  }

  /** Every path below {@code root} with its type, owner, mode, size, times and ctime. */
  private static Map<String, List<Object>> snapshot(Path root) throws IOException {
    var out = new TreeMap<String, List<Object>>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.toList()) {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ctime",
            NOFOLLOW_LINKS);
        out.put(root.relativize(p).toString(), List.of(a.get("mode"), a.get("uid"), a.get("gid"), a.get("size"),
            a.get("lastModifiedTime"), a.get("ctime"), FileNodes.listXattrs(p)));
      }
    }
    return out;
  }

  /** Same owner, permission bits and extended attributes; the times given, to the nanosecond. */
  private static void assertSame(Path expected, Path actual, Instant mtime, Instant atime) throws IOException {
    String attrs = "unix:uid,gid,mode,lastModifiedTime,lastAccessTime";
    Map<String, Object> e = Files.readAttributes(expected, attrs, NOFOLLOW_LINKS);
    Map<String, Object> a = Files.readAttributes(actual, attrs, NOFOLLOW_LINKS);
    assertEquals(e.get("uid"), a.get("uid"), actual.toString());
    assertEquals(e.get("gid"), a.get("gid"), actual.toString());
    assertEquals(e.get("mode"), a.get("mode"), actual.toString());
    assertEquals(mtime, ((FileTime) a.get("lastModifiedTime")).toInstant(), actual.toString());
    assertEquals(atime, ((FileTime) a.get("lastAccessTime")).toInstant(), actual.toString());
    var names = new ArrayList<>(FileNodes.listXattrs(expected));
    names.removeIf(n -> n.startsWith("trusted.overlay."));
    assertEquals(names.stream().sorted().toList(), FileNodes.listXattrs(actual).stream().sorted().toList());
    for (String n : names) {
      assertArrayEquals(FileNodes.getXattr(expected, n).orElseThrow(), FileNodes.getXattr(actual, n).orElseThrow(), n);
    }
  }

  private static void owner(Path p, int uid, int gid) throws IOException {
    Files.setAttribute(p, "unix:uid", uid, NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", gid, NOFOLLOW_LINKS);
  }

  private static int mode(Path p) throws IOException {
    return (int) Files.getAttribute(p, "unix:mode", NOFOLLOW_LINKS) & 07777;
  }

  private static Object ino(Path p) throws IOException {
    return Files.getAttribute(p, "unix:ino", NOFOLLOW_LINKS);
  }

  private static String type(Path p) throws IOException {
    int t = (int) Files.getAttribute(p, "unix:mode", NOFOLLOW_LINKS) & 0170000;
    return t == FileNodes.S_IFIFO ? "p" : t == FileNodes.S_IFCHR ? "c" : Integer.toOctalString(t);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
