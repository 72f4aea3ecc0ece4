package dev.berth.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.archive.TarUnpacker;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Test
  void symlinksResolveInsideTheContainer() {
    assertEquals("/", view.resolve("/tmp/toroot", true));
    assertEquals("/etc/hostname", view.resolve("/tmp/toroot/etc/hostname", true));
    assertEquals("/etc/hostname", view.resolve("/tmp/up/etc/hostname", true));
    assertEquals(outside.toString(), view.resolve("/tmp/host", true), "a host path is a container path here");
    assertEquals(root.resolve(outside.toString().substring(1)), view.host(view.resolve("/tmp/host", true)));
    assertEquals("/tmp/toroot", view.resolve("/tmp/toroot", false), "the last link is kept when asked");
  }

  @Test
  void resolutionCrossesIntoMountsAndBackOut() {
    assertEquals(volume.resolve("x"), view.host(view.resolve("/tmp/todata/x", true)));
    assertEquals(root.resolve("etc/hostname"), view.host(view.resolve("/data/back/hostname", true)));
  }

  @Test
  void linkLoopsEnd() throws IOException {
    Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
    assertThrows(InvalidArgumentException.class, () -> view.resolve("/loop/x", true));
  }

  @Test
  void extractingThroughEscapingLinksWritesInsideTheContainer() {
    byte[] tar = new TarBuilder().file("pwned.txt", "x").build();
    TarUnpacker.unpack(new ByteArrayInputStream(tar), view, view.resolve("/tmp/toroot", true), options());
    TarUnpacker.unpack(new ByteArrayInputStream(tar), view, view.resolve("/tmp/up", true), options());
    assertTrue(Files.exists(root.resolve("pwned.txt")));
    assertFalse(Files.exists(outside.resolve("pwned.txt")));

    byte[] through = new TarBuilder().file("tmp/host/pwned2.txt", "x").build();
    TarUnpacker.unpack(new ByteArrayInputStream(through), view, "/", options());
    assertFalse(Files.exists(outside.resolve("pwned2.txt")), "the host directory was not touched");
    assertTrue(Files.exists(root.resolve(outside.toString().substring(1)).resolve("pwned2.txt")));
  }

  @Test
  void aTarThatPlantsALinkThenWritesThroughItStaysInside() {
    byte[] tar = new TarBuilder().symlink("evil", "/").file("evil/etc/passwd", "owned").build();
    TarUnpacker.unpack(new ByteArrayInputStream(tar), view, "/tmp", options());
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
    var readOnlyRoot = new ContainerView(List.of(new ContainerView.Mapping("/", root)), List.of(), Map.of("/t", ""),
        true);
    assertEquals("container rootfs is marked read-only", assertThrows(InvalidArgumentException.class,
        () -> readOnlyRoot.checkWritable("/etc")).getMessage());
    readOnlyRoot.checkWritable("/t/x");
  }

  @Test
  void noOverwriteDirNonDirProtectsBothWays() {
    assertThrows(InvalidArgumentException.class, () -> TarUnpacker.unpack(new ByteArrayInputStream(
        new TarBuilder().file("etc", "x").build()), view, "/", new TarUnpacker.Options(true, -1, -1)));
    assertThrows(InvalidArgumentException.class, () -> TarUnpacker.unpack(new ByteArrayInputStream(
        new TarBuilder().dir("etc/hostname").build()), view, "/", new TarUnpacker.Options(true, -1, -1)));
    unpack(new TarBuilder().file("etc/hostname", "replaced\n").build(), "/");
  }

  @Test
  void copyUidGidOwnsEverythingByTheContainersUser() throws IOException {
    TarUnpacker.unpack(new ByteArrayInputStream(new TarBuilder().file("a/b/c.txt", "x".getBytes(), 0600, 7, 7)
        .build()), view, "/tmp", new TarUnpacker.Options(false, 1000, 1001));
    assertEquals(1000, Files.getAttribute(root.resolve("tmp/a/b/c.txt"), "unix:uid"));
    assertEquals(1001, Files.getAttribute(root.resolve("tmp/a"), "unix:gid"));
    TarUnpacker.unpack(new ByteArrayInputStream(new TarBuilder().file("d.txt", "x".getBytes(), 0640, 7, 8).build()),
        view, "/tmp", options());
    assertEquals(7, Files.getAttribute(root.resolve("tmp/d.txt"), "unix:uid"));
    assertEquals(0640, (int) Files.getAttribute(root.resolve("tmp/d.txt"), "unix:mode") & 0777);
  }

  private void unpack(byte[] tar, String dest) {
    TarUnpacker.unpack(new ByteArrayInputStream(tar), view, dest, options());
  }

  private static TarUnpacker.Options options() {
    return new TarUnpacker.Options(false, -1, -1);
  }
}
