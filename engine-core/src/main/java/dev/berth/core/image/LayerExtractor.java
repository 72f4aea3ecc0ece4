package dev.berth.core.image;

import dev.berth.core.archive.TarUnpacker;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.fs.RootedPath.Node;
import dev.berth.core.fs.RootedPath.Slot;
import dev.berth.core.os.RootedFiles;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Unpacks one layer tar into a layer's diff directory with the engine's one extraction
 * ({@link TarUnpacker}), turning AUFS whiteouts into overlay ones.
 *
 * <p>The directory is fresh and private to this extraction, so the only hostile input is the tar
 * itself. Every entry is checked before anything is written for it: no absolute names, no {@code ..},
 * no path that passes through a symlink (one the same tar made), no hardlink to outside; and
 * everything is written relative to descriptors of the layer's directories, never following a link.
 */
final class LayerExtractor {

  static final String WHITEOUT_PREFIX = ".wh.";
  static final String WHITEOUT_META_PREFIX = ".wh..wh.";
  static final String OPAQUE_MARKER = ".wh..wh..opq";
  static final String OPAQUE_XATTR = "trusted.overlay.opaque";

  private LayerExtractor() {}

  /**
   * Extracts an uncompressed layer tar into {@code root}, an existing empty directory.
   *
   * @return bytes of regular file content written, the layer's size
   * @throws InvalidArgumentException for a malformed tar or an entry that would escape {@code root}
   */
  static long extract(InputStream tarStream, Path root) {
    try (RootedPath tree = RootedPath.open(root)) {
      return TarUnpacker.unpackLayer(tarStream, tree, LayerExtractor::whiteout);
    }
  }

  /** AUFS bookkeeping and whiteouts: what a layer's tar says that is no file of the image. */
  private static boolean whiteout(TarArchiveEntry e, List<String> comps, TarUnpacker x) {
    // AUFS bookkeeping at the top (.wh..wh.plnk, .wh..wh.aufs, ...) is no file of the image.
    if (comps.getFirst().startsWith(WHITEOUT_META_PREFIX) && !(comps.size() == 1 && comps.getFirst().equals(OPAQUE_MARKER))) {
      return true;
    }
    String base = comps.getLast();
    if (!base.startsWith(WHITEOUT_PREFIX)) {
      return false;
    }
    List<String> parent = comps.subList(0, comps.size() - 1);
    if (base.equals(OPAQUE_MARKER)) {
      try (Node dir = x.directory(parent)) {
        RootedFiles.setXattr(dir.fd(), true, OPAQUE_XATTR, new byte[] {'y'});
      }
      return true;
    }
    if (base.startsWith(WHITEOUT_META_PREFIX)) {
      return true;
    }
    String hidden = base.substring(WHITEOUT_PREFIX.length());
    if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
      throw new InvalidArgumentException("invalid tar entry " + quote(e.getName()) + ": bad whiteout");
    }
    try (Node dir = x.directory(parent)) {
      Slot s = x.tree().slot(dir, hidden);
      x.tree().remove(s);
      // An overlayfs whiteout: a character device 0/0 hides the same name in lower layers.
      RootedFiles.mknod(s.dirFd(), s.name(), RootedFiles.S_IFCHR, 0, 0);
      try (Node n = x.tree().open(s)) {
        if (n == null || n.stat().type() != RootedFiles.S_IFCHR) {
          throw new InvalidArgumentException("invalid tar entry " + quote(e.getName()) + ": whiteout changed");
        }
        x.owner(n, e);
      }
    }
    return true;
  }

  static String quote(String s) {
    return TarUnpacker.quote(s);
  }
}
