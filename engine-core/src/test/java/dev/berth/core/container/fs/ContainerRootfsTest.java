package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.image.BlobStore;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.InMemoryImageRepository;
import dev.berth.core.image.LayerStore;
import dev.berth.core.image.Scratch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A container's directories: removal out of sight first, crash leftovers gone at startup, the init layer. */
class ContainerRootfsTest {

  @TempDir
  Path tmp;

  private ContainerRootfs rootfs(EnginePaths paths) {
    var repo = new InMemoryImageRepository();
    var scratch = new Scratch(paths);
    var blobs = new BlobStore(paths, scratch);
    var images = new ImageService(repo, blobs, new LayerStore(paths, scratch, repo, blobs), scratch,
        (id, running) -> Optional.empty(), Clock.systemUTC(), new dev.berth.core.events.EventBus(Clock.systemUTC()));
    return new ContainerRootfs(paths, images);
  }

  @Test
  void directoriesNoRecordNamesAreRemovedAtStartup() throws Exception {
    var paths = new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth");
    ContainerId known = new ContainerId("a".repeat(64));
    ContainerId orphan = new ContainerId("b".repeat(64));
    Files.createDirectories(paths.container(known.hex()).resolve("upper/etc"));
    Files.createDirectories(paths.container(orphan.hex()).resolve("upper/half-deleted"));
    Files.createDirectories(paths.containers().resolve("not-an-id"));
    Files.createDirectories(paths.tmp().resolve("containers/container-1/c/upper"));

    rootfs(paths).removeLeftovers(Set.of(known));

    assertTrue(Files.isDirectory(paths.container(known.hex()).resolve("upper/etc")));
    assertFalse(Files.exists(paths.container(orphan.hex())));
    assertFalse(Files.exists(paths.containers().resolve("not-an-id")));
    try (var trash = Files.list(paths.tmp().resolve("containers"))) {
      assertEquals(List.of(), trash.toList(), "an interrupted removal's trash is gone");
    }
  }

  @Test
  void destroyLeavesNothing() throws Exception {
    var paths = new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth");
    ContainerId id = new ContainerId("c".repeat(64));
    Files.createDirectories(paths.container(id.hex()).resolve("upper/x"));
    rootfs(paths).destroy(id);
    assertFalse(Files.exists(paths.container(id.hex())));
    try (var s = Files.list(paths.tmp().resolve("containers"))) {
      assertEquals(List.of(), s.toList());
    }
  }

  @Test
  void whatIsSetAsideIsOutOfSightAtOnceAndGoneAtTheNextStartIfItsDeletionNeverRan() throws Exception {
    var paths = new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth");
    ContainerId id = new ContainerId("d".repeat(64));
    Files.createDirectories(paths.container(id.hex()).resolve("upper/big"));

    Runnable deletion = rootfs(paths).setAside(id);

    assertFalse(Files.exists(paths.container(id.hex())), "nothing left under its name");
    try (var trash = Files.list(paths.tmp().resolve("containers"))) {
      assertEquals(1, trash.count(), "set aside until the deletion runs");
    }
    // A crash here: the deletion never runs; the next start finds the trash without any record.
    rootfs(paths).removeLeftovers(Set.of());
    assertFalse(Files.exists(paths.tmp().resolve("containers")));
    deletion.run();
  }

  @Test
  void theInitLayerHoldsOnlyTheMountPointsTheImageLacks() throws Exception {
    Path layer = Files.createDirectories(tmp.resolve("layer"));
    Files.createDirectories(layer.resolve("etc"));
    Files.writeString(layer.resolve("etc/hosts"), "from the image\n");
    Files.createDirectories(layer.resolve("proc"));
    Path dir = Files.createDirectories(tmp.resolve("ctr"));

    Path init = InitLayer.ensure(dir, List.of(layer));

    assertFalse(Files.exists(init.resolve("etc/hosts")), "the image has it");
    assertFalse(Files.exists(init.resolve("proc")));
    assertTrue(Files.isRegularFile(init.resolve("etc/hostname")));
    assertTrue(Files.isRegularFile(init.resolve("etc/resolv.conf")));
    assertTrue(Files.isRegularFile(init.resolve(".dockerenv")));
    assertTrue(Files.isDirectory(init.resolve("dev/shm")));
    assertEquals(Path.of("/proc/mounts"), Files.readSymbolicLink(init.resolve("etc/mtab")));
    assertEquals(init, InitLayer.ensure(dir, List.of(layer)), "made once");
    assertFalse(Files.exists(dir.resolve("init.tmp")));
  }
}
