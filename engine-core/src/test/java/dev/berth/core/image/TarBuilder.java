package dev.berth.core.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds tar archives in memory, byte for byte the same each time (fixed mtime, root owner unless
 * told), for layer and archive fixtures. Names are written exactly as given, absolute ones and
 * {@code ..} included, so tests can craft hostile archives.
 */
public final class TarBuilder {

  public static final Instant MTIME = Instant.parse("2024-01-01T00:00:00Z");

  private record Item(TarArchiveEntry entry, byte[] data) {}

  private final List<Item> items = new ArrayList<>();

  public TarBuilder dir(String name) {
    return dir(name, 0755, 0, 0);
  }

  public TarBuilder dir(String name, int mode) {
    return dir(name, mode, 0, 0);
  }

  public TarBuilder dir(String name, int mode, int uid, int gid) {
    var e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, true);
    return add(e, mode, uid, gid, null);
  }

  public TarBuilder file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, 0, 0);
  }

  public TarBuilder file(String name, byte[] content, int mode) {
    return file(name, content, mode, 0, 0);
  }

  public TarBuilder file(String name, byte[] content, int mode, int uid, int gid) {
    var e = new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    e.setSize(content.length);
    return add(e, mode, uid, gid, content);
  }

  public TarBuilder symlink(String name, String target) {
    return symlink(name, target, 0, 0);
  }

  public TarBuilder symlink(String name, String target, int uid, int gid) {
    var e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
    e.setLinkName(target);
    return add(e, 0777, uid, gid, null);
  }

  public TarBuilder hardlink(String name, String target) {
    var e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
    e.setLinkName(target);
    return add(e, 0644, 0, 0, null);
  }

  public TarBuilder charDevice(String name, int major, int minor) {
    return device(name, TarConstants.LF_CHR, major, minor);
  }

  public TarBuilder blockDevice(String name, int major, int minor) {
    return device(name, TarConstants.LF_BLK, major, minor);
  }

  public TarBuilder fifo(String name) {
    return add(new TarArchiveEntry(name, TarConstants.LF_FIFO, true), 0644, 0, 0, null);
  }

  /** Adds an extended attribute to the last entry, as a PAX {@code SCHILY.xattr.*} record (Docker's way). */
  public TarBuilder xattr(String name, String value) {
    items.getLast().entry().addPaxHeader("SCHILY.xattr." + name, value);
    return this;
  }

  /** Sets the last entry's modification time. */
  public TarBuilder mtime(Instant t) {
    items.getLast().entry().setModTime(Date.from(t));
    return this;
  }

  public byte[] build() {
    var bytes = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Item i : items) {
        tar.putArchiveEntry(i.entry());
        if (i.data() != null) {
          tar.write(i.data());
        }
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static byte[] zstd(byte[] data) {
    return compress(data, io.airlift.compress.zstd.ZstdOutputStream::new);
  }

  public static byte[] xz(byte[] data) {
    return compress(data, org.apache.commons.compress.compressors.xz.XZCompressorOutputStream::new);
  }

  public static byte[] gzip(byte[] data) {
    return compress(data, GzipCompressorOutputStream::new);
  }

  private interface Compressor {
    java.io.OutputStream wrap(java.io.OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, Compressor compressor) {
    var bytes = new ByteArrayOutputStream();
    try (var out = compressor.wrap(bytes)) {
      out.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private TarBuilder device(String name, byte type, int major, int minor) {
    var e = new TarArchiveEntry(name, type, true);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return add(e, 0666, 0, 0, null);
  }

  private TarBuilder add(TarArchiveEntry e, int mode, int uid, int gid, byte[] data) {
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setModTime(Date.from(MTIME));
    items.add(new Item(e, data));
    return this;
  }
}
