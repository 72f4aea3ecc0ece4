package dev.berth.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.fs.RootedPath;
import dev.berth.core.os.FileNodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees to tar as go-archive writes them, with overlay whiteouts turned into AUFS ones for layers. */
class TarWriterTest {

  @TempDir
  Path tmp;

  @Test
  void entriesAreSortedDirectoriesEndInSlashAndHardLinksPointAtTheFirstName() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("d"));
    Files.writeString(root.resolve("b.txt"), "bb");
    Files.createLink(root.resolve("c.txt"), root.resolve("b.txt"));
    Files.createDirectory(root.resolve("a"));
    Files.createSymbolicLink(root.resolve("a/l"), Path.of("/etc"));
    Files.setAttribute(root.resolve("b.txt"), "unix:uid", 12);

    List<TarArchiveEntry> entries = tar(root, false);
    assertEquals(List.of("d/", "d/a/", "d/a/l", "d/b.txt", "d/c.txt"), entries.stream().map(TarArchiveEntry::getName)
        .toList());
    assertEquals("/etc", entries.get(2).getLinkName());
    assertEquals(12, entries.get(3).getLongUserId());
    assertEquals("", entries.get(3).getUserName(), "numeric owners only");
    assertTrue(entries.get(4).isLink());
    assertEquals("d/b.txt", entries.get(4).getLinkName());
    assertEquals(0, entries.get(3).getModTime().getTime() % 1000, "whole seconds");
  }

  @Test
  void whiteoutsAndOpaqueDirectoriesBecomeAufsMarkers() throws IOException {
    Path upper = Files.createDirectories(tmp.resolve("upper"));
    Files.createDirectories(upper.resolve("etc"));
    FileNodes.whiteout(upper.resolve("etc/motd"));
    Files.createDirectories(upper.resolve("srv"));
    FileNodes.setXattr(upper.resolve("srv"), "trusted.overlay.opaque", new byte[] {'y'});

    var out = new ByteArrayOutputStream();
    var w = new TarWriter(out, true);
    try (RootedPath tree = RootedPath.open(upper)) {
      w.addContents(tree);
    }
    w.finish();
    List<String> names = names(out.toByteArray());
    assertEquals(List.of("etc/", "etc/.wh.motd", "srv/", "srv/.wh..wh..opq"), names);
  }

  @Test
  void anEmptyTarIsExactlyTwoZeroBlocks() throws IOException {
    var out = new ByteArrayOutputStream();
    new TarWriter(out, false).finish();
    assertEquals(1024, out.size());
  }

  private List<TarArchiveEntry> tar(Path root, boolean whiteouts) throws IOException {
    var out = new ByteArrayOutputStream();
    var w = new TarWriter(out, whiteouts);
    try (RootedPath tree = RootedPath.open(root)) {
      w.addTree("d", tree, tree.root());
    }
    w.finish();
    var entries = new ArrayList<TarArchiveEntry>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        entries.add(e);
      }
    }
    return entries;
  }

  private static List<String> names(byte[] tar) throws IOException {
    var names = new ArrayList<String>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
