package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.archive.TarUnpacker;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.image.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paths resolved inside a container, across its mounts: symlinks to / and ../../ stay inside,
 * and tar extraction through them never writes on the host.
 */
class ContainerViewTest {

  @TempDir
  Path tmp;
  private Path root;
  private Path volume;
  private Path outside;
  private ContainerView view;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createDirectories(tmp.resolve("rootfs"));
    volume = Files.createDirectories(tmp.resolve("volume"));
    outside = Files.createDirectories(tmp.resolve("host"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/hostname"), "container\n");
    Files.createDirectories(root.resolve("data"));
    Files.createDirectories(root.resolve("tmp"));
    Files.createSymbolicLink(root.resolve("tmp/toroot"), Path.of("/"));
    Files.createSymbolicLink(root.resolve("tmp/up"), Path.of("../../../../../.."));
    Files.createSymbolicLink(root.resolve("tmp/host"), outside);
    Files.createSymbolicLink(root.resolve("tmp/todata"), Path.of("/data"));
    Files.createSymbolicLink(volume.resolve("back"), Path.of("/etc"));
    var ro = new MountPoint(MountType.BIND, null, "/src", "/ro", null, "ro", false, "rprivate", false, false, false,
        false, null);
    var data = new MountPoint(MountType.VOLUME, "v", volume.toString(), "/data", "local", "z", true, "", false, true,
        false, false, null);
    view = new ContainerView(List.of(new ContainerView.Mapping("/", root), new ContainerView.Mapping("/data", volume),
        new ContainerView.Mapping("/ro", Files.createDirectories(tmp.resolve("ro")))), List.of(ro, data), Map.of(),
        false);
  }

  @AfterEach
  void tearDown() {
    view.close();
  }

  /** The container path a path resolves to, and checks that what is there is the host object expected. */
  private String resolve(String path, boolean followLast) {
    try (RootedPath.Resolution r = view.tree().resolve(path, followLast)) {
      return r.path();
    }
  }

  /** The host file behind a container path: the same inode as {@code expected}, or nothing there for both. */
  private void assertHost(Path expected, String path) throws IOException {
    try (RootedPath.Resolution r = view.tree().resolve(path, true)) {
      if (!Files.exists(expected, LinkOption.NOFOLLOW_LINKS)) {
        assertNull(r.node(), path + " leads to something, " + expected + " does not exist");
        return;
      }
      assertEquals(Files.getAttribute(expected, "unix:ino", LinkOption.NOFOLLOW_LINKS), r.node().stat().ino(), path);
    }
  }

  @Test
  void symlinksResolveInsideTheContainer() throws IOException {
    assertEquals("/", resolve("/tmp/toroot", true));
    assertEquals("/etc/hostname", resolve("/tmp/toroot/etc/hostname", true));
    assertEquals("/etc/hostname", resolve("/tmp/up/etc/hostname", true));
    assertEquals(outside.toString(), resolve("/tmp/host", true), "a host path is a container path here");
    assertHost(root.resolve(outside.toString().substring(1)), resolve("/tmp/host", true));
    assertEquals("/tmp/toroot", resolve("/tmp/toroot", false), "the last link is kept when asked");
  }

  @Test
  void resolutionCrossesIntoMountsAndBackOut() throws IOException {
    assertEquals("/data/x", resolve("/tmp/todata/x", true));
    Files.writeString(volume.resolve("x"), "in the volume");
    assertHost(volume.resolve("x"), "/tmp/todata/x");
    assertHost(root.resolve("etc/hostname"), "/data/back/hostname");
  }

  @Test
  void linkLoopsEnd() throws IOException {
    Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
    assertThrows(InvalidArgumentException.class, () -> resolve("/loop/x", true));
  }

  @Test
  void extractingThroughEscapingLinksWritesInsideTheContainer() {
    byte[] tar = new TarBuilder().file("pwned.txt", "x").build();
    unpack(tar, "/tmp/toroot");
    unpack(tar, "/tmp/up");
    assertTrue(Files.exists(root.resolve("pwned.txt")));
    assertFalse(Files.exists(outside.resolve("pwned.txt")));

    byte[] through = new TarBuilder().file("tmp/host/pwned2.txt", "x").build();
    unpack(through, "/");
    assertFalse(Files.exists(outside.resolve("pwned2.txt")), "the host directory was not touched");
    assertTrue(Files.exists(root.resolve(outside.toString().substring(1)).resolve("pwned2.txt")));
  }

  @Test
  void aTarThatPlantsALinkThenWritesThroughItStaysInside() {
    byte[] tar = new TarBuilder().symlink("evil", "/").file("evil/etc/passwd", "owned").build();
    unpack(tar, "/tmp");
    assertTrue(Files.exists(root.resolve("etc/passwd")), "written into the container's /etc");
  }

  @Test
  void entriesAndLinksThatClimbOutAreRefused() {
    assertThrows(InvalidArgumentException.class, () -> unpack(new TarBuilder().file("../x", "x").build(), "/tmp"));
    assertEquals("invalid symlink \"/tmp/l\" -> \"../../x\"", assertThrows(InvalidArgumentException.class,
        () -> unpack(new TarBuilder().symlink("l", "../../x").build(), "/tmp")).getMessage());
    assertThrows(InvalidArgumentException.class,
        () -> unpack(new TarBuilder().hardlink("h", "../etc/hostname").build(), "/tmp"));
  }

  @Test
  void readOnlyMountsAndRootsRefuseWrites() {
    assertEquals("mounted volume is marked read-only", assertThrows(InvalidArgumentException.class,
        () -> view.checkWritable("/ro/sub")).getMessage());
    view.checkWritable("/data/x");
    try (var readOnlyRoot = new ContainerView(List.of(new ContainerView.Mapping("/", root)), List.of(),
        Map.of("/t", ""), true)) {
      assertEquals("container rootfs is marked read-only", assertThrows(InvalidArgumentException.class,
          () -> readOnlyRoot.checkWritable("/etc")).getMessage());
      readOnlyRoot.checkWritable("/t/x");
    }
  }

  @Test
  void noOverwriteDirNonDirProtectsBothWays() {
    assertThrows(InvalidArgumentException.class, () -> unpack(new TarBuilder().file("etc", "x").build(), "/",
        new TarUnpacker.Options(true, -1, -1)));
    assertThrows(InvalidArgumentException.class, () -> unpack(new TarBuilder().dir("etc/hostname").build(), "/",
        new TarUnpacker.Options(true, -1, -1)));
    unpack(new TarBuilder().file("etc/hostname", "replaced\n").build(), "/");
  }

  @Test
  void deviceNodesAreNeverMadeInABindMountOfTheHost() throws IOException {
    Path bound = Files.createDirectories(tmp.resolve("bound"));
    var bind = new MountPoint(MountType.BIND, null, bound.toString(), "/bind", null, "", true, "rprivate", false, false,
        false, false, null);
    try (var withBind = new ContainerView(List.of(new ContainerView.Mapping("/", root),
        new ContainerView.Mapping("/bind", bound)), List.of(bind), Map.of(), false);
        var dest = withBind.tree().resolve("/", true)) {
      var e = assertThrows(InvalidArgumentException.class, () -> TarUnpacker.unpack(new ByteArrayInputStream(
          new TarBuilder().dir("bind/sub").charDevice("bind/sub/sda", 8, 0).build()), withBind, dest.node(), options()));
      assertEquals("cannot create a device node in \"/bind/sub\": it is a bind mount of " + bound + " from the host",
          e.getMessage());
      assertFalse(Files.exists(bound.resolve("sub/sda"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
      // Through a link into the bind mount too: the resolved directory decides.
      Files.createSymbolicLink(root.resolve("tmp/tobind"), Path.of("/bind"));
      assertThrows(InvalidArgumentException.class, () -> TarUnpacker.unpack(new ByteArrayInputStream(
          new TarBuilder().blockDevice("tmp/tobind/loop0", 7, 0).build()), withBind, dest.node(), options()));
      assertFalse(Files.exists(bound.resolve("loop0"), java.nio.file.LinkOption.NOFOLLOW_LINKS));

      // A FIFO is no device; the root filesystem and volumes are the container's own.
      TarUnpacker.unpack(new ByteArrayInputStream(new TarBuilder().fifo("bind/fifo").charDevice("dev2/null", 1, 3)
          .build()), withBind, dest.node(), options());
      assertTrue(Files.exists(bound.resolve("fifo"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
      assertTrue(Files.exists(root.resolve("dev2/null"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }
  }

  @Test
  void copyUidGidOwnsEverythingByTheContainersUser() throws IOException {
    unpack(new TarBuilder().file("a/b/c.txt", "x".getBytes(), 0600, 7, 7).build(), "/tmp",
        new TarUnpacker.Options(false, 1000, 1001));
    assertEquals(1000, Files.getAttribute(root.resolve("tmp/a/b/c.txt"), "unix:uid"));
    assertEquals(1001, Files.getAttribute(root.resolve("tmp/a"), "unix:gid"));
    unpack(new TarBuilder().file("d.txt", "x".getBytes(), 0640, 7, 8).build(), "/tmp");
    assertEquals(7, Files.getAttribute(root.resolve("tmp/d.txt"), "unix:uid"));
    assertEquals(0640, (int) Files.getAttribute(root.resolve("tmp/d.txt"), "unix:mode") & 0777);
  }

  private void unpack(byte[] tar, String dest) {
    unpack(tar, dest, options());
  }

  /** As ContainerArchive extracts: into the directory the path resolves to, links followed. */
  private void unpack(byte[] tar, String dest, TarUnpacker.Options options) {
    try (RootedPath.Resolution d = view.tree().resolve(dest, true)) {
      TarUnpacker.unpack(new ByteArrayInputStream(tar), view, d.node(), options);
    }
  }

  private static TarUnpacker.Options options() {
    return new TarUnpacker.Options(false, -1, -1);
  }
}
