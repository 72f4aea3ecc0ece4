package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.os.FileNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code docker diff} from an overlay upper directory and the layers beneath it. */
class UpperDiffTest {

  @TempDir
  Path tmp;
  private Path upper;
  private Path image;
  private Path init;

  @BeforeEach
  void layers() throws IOException {
    upper = Files.createDirectories(tmp.resolve("upper"));
    image = Files.createDirectories(tmp.resolve("image"));
    init = Files.createDirectories(tmp.resolve("init"));
    Files.createDirectories(image.resolve("etc"));
    Files.writeString(image.resolve("etc/passwd"), "root\n");
    Files.writeString(image.resolve("etc/motd"), "hi\n");
    Files.createDirectories(image.resolve("srv/data"));
    Files.writeString(image.resolve("srv/data/old1"), "1");
    Files.writeString(image.resolve("srv/data/old2"), "2");
    Files.createDirectories(init.resolve("etc"));
    Files.createFile(init.resolve("etc/hosts"));
  }

  @Test
  void addedModifiedAndDeletedWithParentsModified() throws IOException {
    copyDir("etc");
    Files.writeString(upper.resolve("etc/passwd"), "root\nnew\n");
    FileNodes.whiteout(upper.resolve("etc/motd"));
    Files.createDirectories(upper.resolve("tmp/new/deep"));
    Files.writeString(upper.resolve("tmp/new/deep/f"), "x");

    assertEquals(List.of("C /etc", "D /etc/motd", "C /etc/passwd", "A /tmp", "A /tmp/new", "A /tmp/new/deep",
        "A /tmp/new/deep/f"), diff());
  }

  @Test
  void anOpaqueDirectoryDeletesWhatTheLayersHadInIt() throws IOException {
    Files.createDirectories(upper.resolve("srv/data"));
    FileNodes.setXattr(upper.resolve("srv/data"), "trusted.overlay.opaque", new byte[] {'y'});
    Files.writeString(upper.resolve("srv/data/old2"), "fresh");
    Files.writeString(upper.resolve("srv/data/new"), "n");

    assertEquals(List.of("C /srv", "C /srv/data", "A /srv/data/new", "D /srv/data/old1", "C /srv/data/old2"), diff());
  }

  @Test
  void theInitLayersFilesAreNoChangeButWritesToThemAre() throws IOException {
    copyDir("etc");
    assertEquals(List.of(), diff(), "a copied-up directory with its metadata unchanged is no change");
    Files.writeString(upper.resolve("etc/hosts"), "127.0.0.1 x\n");
    assertEquals(List.of("C /etc", "C /etc/hosts"), diff());
  }

  @Test
  void aWhiteoutOfSomethingNoLayerHasIsNoChange() throws IOException {
    FileNodes.whiteout(upper.resolve("ghost"));
    assertEquals(List.of(), diff());
  }

  private List<String> diff() {
    return UpperDiff.changes(upper, List.of(init, image)).stream()
        .map(c -> switch (c.kind()) {
          case ADDED -> "A " + c.path();
          case MODIFIED -> "C " + c.path();
          case DELETED -> "D " + c.path();
        }).toList();
  }

  /** Overlay's copy-up of a directory: the topmost layer's mode, owner and times. */
  private void copyDir(String name) throws IOException {
    Path src = Files.isDirectory(init.resolve(name)) ? init.resolve(name) : image.resolve(name);
    Path dst = Files.createDirectories(upper.resolve(name));
    Files.setAttribute(dst, "unix:mode", Files.getAttribute(src, "unix:mode"));
    // utimensat keeps every nanosecond; the JDK's setter may round to microseconds.
    var mtime = ((FileTime) Files.getAttribute(src, "lastModifiedTime")).toInstant();
    FileNodes.setTimes(dst, mtime, mtime);
  }

  /**
   * Issue 10: the container changes its upper directory while docker diff reads it. A directory
   * swapped for a symlink to a host directory must never be listed through the link.
   */
  @Test
  void aDirectorySwappedForAHostSymlinkIsNeverListedThroughIt() throws Exception {
    Path host = Files.createDirectories(tmp.resolve("host"));
    Files.writeString(host.resolve("host-secret"), "s");
    Path dir = upper.resolve("swap");
    Files.createDirectories(dir);
    for (int i = 0; i < 50; i++) {
      Files.writeString(dir.resolve("f" + i), "x");
    }
    Path parked = upper.resolve(".parked");
    Path link = upper.resolve(".link");
    Files.createSymbolicLink(link, host);
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    Thread swapper = Thread.ofPlatform().start(() -> {
      try {
        while (!stop.get()) {
          Files.move(dir, parked, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          Files.move(link, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          Files.move(dir, link, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
          Files.move(parked, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      long end = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < end) {
        for (String change : diff()) {
          org.junit.jupiter.api.Assertions.assertFalse(change.contains("host-secret"), "listed through the link: " + change);
        }
      }
    } finally {
      stop.set(true);
      swapper.join();
    }
  }
}
