package dev.berth.core.logs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A driver's files for one container, written and rotated as moby's loggerutils.LogFile does: the
 * current file ({@code name}), then {@code name.1} ... {@code name.<max-file - 1>} (each {@code .gz}
 * when compressed), newest first. Before an entry is written, a current file that has reached
 * max-size is rotated: the oldest goes, the others move up one, the current becomes {@code .1}
 * (gzipped, then the plain copy removed) and a new current begins. A file is only ever renamed,
 * never truncated, so a reader holding it open reads it whole.
 *
 * <p>Thread-safe: one writer (the pump) and any number of readers, which take a {@link #snapshot}
 * and may {@link #follow} what is written after it.
 */
final class LogFiles implements AutoCloseable {

  private final Path current;
  private final LogSettings settings;
  private FileChannel out;
  private long size;
  // Guarded by this: the follows that are told of each new current file.
  private final List<Follow> follows = new ArrayList<>();
  // Guarded by this: how far into the spool the entries written so far reach.
  private SpoolPlace consumed;
  // Guarded by this: where readers of the spool's unconverted tail began (freed space stays behind them).
  private final List<Long> spoolReaders = new ArrayList<>();

  /** Opens (creating) the current file, first cutting it back to {@code keep} bytes if it is longer. */
  LogFiles(Path current, LogSettings settings, long keep, SpoolPlace consumed) throws IOException {
    this.current = current;
    this.consumed = consumed;
    this.settings = settings;
    Files.createDirectories(current.getParent());
    out = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      Files.setPosixFilePermissions(current, PosixFilePermissions.fromString("rw-r-----"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system
    }
    size = out.size();
    if (keep >= 0 && size > keep) {
      // Written after the pump last recorded its place in the spool: the spool still has it.
      out.truncate(keep);
      size = keep;
    }
    out.position(size);
  }

  Path current() {
    return current;
  }

  synchronized long size() {
    return size;
  }

  /** Where the pump records its place: the spool offset converted and the current file's size. */
  @FunctionalInterface
  interface Place {
    void record(SpoolPlace spool, long currentSize) throws IOException;
  }

  /**
   * Appends encoded entries, rotating before each one the current file is full for, and records
   * that the spool is converted up to {@code spoolOffset}; a reader sees both or neither. Around a
   * rotation the place is recorded twice — the spool offset of the entries before it with the full
   * file's size, then that offset with size 0 for the new file — so an engine killed at any point
   * of a batch resumes with no entry lost or written twice.
   *
   * @param offsets the spool offset converted once each entry is written
   */
  synchronized void write(List<byte[]> entries, SpoolPlace[] offsets, SpoolPlace spoolOffset, Place place)
      throws IOException {
    // Entries go out a buffer at a time (one write of many short lines, not one each); the
    // buffer is written before a rotation, so the full file's recorded size is what it holds. The
    // buffer is the shared pool's for this batch only (WriteBuffers).
    ByteBuffer pending = WriteBuffers.shared().take();
    try {
      for (int n = 0; n < entries.size(); n++) {
        byte[] entry = entries.get(n);
        if (settings.maxSize() >= 0 && size >= settings.maxSize() && (size > 0 || settings.maxSize() == 0)) {
          writePending(pending);
          SpoolPlace before = n == 0 ? consumed : offsets[n - 1];
          place.record(before, size);
          rotate();
          place.record(before, 0);
        }
        if (entry.length > pending.remaining()) {
          writePending(pending);
        }
        if (entry.length > pending.remaining()) {
          ByteBuffer b = ByteBuffer.wrap(entry);
          while (b.hasRemaining()) {
            out.write(b);
          }
        } else {
          pending.put(entry);
        }
        size += entry.length;
      }
      writePending(pending);
    } finally {
      WriteBuffers.shared().give(pending);
    }
    consumed = spoolOffset;
    notifyAll();
  }

  private void writePending(ByteBuffer pending) throws IOException {
    pending.flip();
    while (pending.hasRemaining()) {
      out.write(pending);
    }
    pending.clear();
  }

  synchronized long consumed() {
    return consumed.offset();
  }

  synchronized SpoolPlace place() {
    return consumed;
  }

  /** How much of the spool's head may be freed: what is converted and behind every reader of it. */
  synchronized long freeable() {
    long limit = consumed.offset();
    for (long r : spoolReaders) {
      limit = Math.min(limit, r);
    }
    return limit;
  }

  /** Marks a reader of the spool from {@code consumed} on until the returned handle is closed. */
  synchronized AutoCloseable readSpool(long from) {
    Long mark = from;
    spoolReaders.add(mark);
    return () -> {
      synchronized (this) {
        spoolReaders.remove(mark);
      }
    };
  }

  private void rotate() throws IOException {
    out.close();
    int max = settings.maxFiles();
    String ext = settings.compress() ? ".gz" : "";
    if (max < 2) {
      Files.deleteIfExists(current);
    } else {
      if (settings.compress() && Files.exists(rotated(1, ""))) {
        // The last rotation's compression was cut off (berthd was killed while gzipping): finish
        // it, or the current file would be moved over the newest rotated one.
        compress(rotated(1, ""), rotated(1, ".gz"));
      }
      Files.deleteIfExists(rotated(max - 1, ext));
      for (int i = max - 1; i > 1; i--) {
        moveIfExists(rotated(i - 1, ext), rotated(i, ext));
      }
      Path first = rotated(1, "");
      Files.move(current, first, StandardCopyOption.REPLACE_EXISTING);
      if (settings.compress()) {
        compress(first, rotated(1, ".gz"));
      }
    }
    out = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING);
    size = 0;
    for (Follow f : follows) {
      f.next(FileChannel.open(current, StandardOpenOption.READ));
    }
  }

  private static void moveIfExists(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      // fewer files than max-file so far
    }
  }

  /** Writes {@code plain} gzipped to {@code gz} (through a temporary name), then removes {@code plain}. */
  private static void compress(Path plain, Path gz) throws IOException {
    Path tmp = gz.resolveSibling(gz.getFileName() + ".tmp");
    try (InputStream in = Files.newInputStream(plain);
        OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
      in.transferTo(o);
    }
    Files.move(tmp, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Files.delete(plain);
  }

  Path rotated(int n, String ext) {
    return current.resolveSibling(current.getFileName() + "." + n + ext);
  }

  /** Every file of a log that uses {@code current}, whatever its settings were: for removal. */
  static List<Path> all(Path current) throws IOException {
    var out = new ArrayList<Path>();
    if (!Files.isDirectory(current.getParent())) {
      return out;
    }
    String name = current.getFileName().toString();
    try (var files = Files.list(current.getParent())) {
      files.filter(p -> p.getFileName().toString().equals(name) || p.getFileName().toString().startsWith(name + "."))
          .forEach(out::add);
    }
    return out;
  }

  /**
   * The files as they are now, oldest first, each opened (so a rotation after this cannot take one
   * away); the current file is read only up to its present size.
   *
   * @param follow also registers a follow that is handed each new current file from now on
   */
  synchronized Snapshot snapshot(boolean follow) throws IOException {
    if (follow) {
      // A follow reads what the pump converts, never the spool.
      return snapshot(current, settings, size, consumed, register());
    }
    return snapshot(current, settings, size, consumed, null).withSpoolReader(readSpool(consumed.offset()));
  }

  private Follow register() {
    var f = new Follow(this);
    follows.add(f);
    return f;
  }

  synchronized void unregister(Follow f) {
    follows.remove(f);
  }

  /** Waits up to {@code millis} for an entry to be written. */
  synchronized void awaitWrite(long millis) throws InterruptedException {
    wait(millis);
  }

  /** The files of a log no pump writes (the container does not run): read as they are. */
  static Snapshot snapshot(Path current, LogSettings settings, long currentSize, SpoolPlace consumed, Follow follow)
      throws IOException {
    var sources = new ArrayList<Source>();
    for (int i = Math.max(settings.maxFiles(), 2) + 8; i >= 1; i--) {
      // Older settings may have kept more files: read what is there, gzipped or not.
      Path gz = current.resolveSibling(current.getFileName() + "." + i + ".gz");
      Path plain = current.resolveSibling(current.getFileName() + "." + i);
      FileChannel ch = openIfExists(plain);
      if (ch != null) {
        sources.add(new Source(ch, false, ch.size()));
        continue;
      }
      ch = openIfExists(gz);
      if (ch != null) {
        sources.add(new Source(ch, true, ch.size()));
      }
    }
    FileChannel ch = openIfExists(current);
    if (ch != null) {
      sources.add(new Source(ch, false, currentSize < 0 ? ch.size() : Math.min(currentSize, ch.size())));
    }
    return new Snapshot(sources, follow, ch, consumed, null);
  }

  private static FileChannel openIfExists(Path p) throws IOException {
    try {
      return FileChannel.open(p, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("log file shrank while reading it");
      }
    }
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
    for (Follow f : follows) {
      f.closeAll();
    }
    notifyAll();
  }

  /**
   * One file as a reader sees it.
   *
   * @param limit bytes to read (the current file's size when the snapshot was taken)
   */
  record Source(FileChannel channel, boolean gzipped, long limit) {
    /** The file's entries from byte {@code from} (of the uncompressed content); closing it leaves the channel open. */
    InputStream open(long from) throws IOException {
      if (gzipped) {
        InputStream gz = new java.util.zip.GZIPInputStream(stream(channel, 0, limit), 64 * 1024);
        gz.skipNBytes(from);
        return new java.io.BufferedInputStream(gz, 64 * 1024);
      }
      return new java.io.BufferedInputStream(stream(channel, from, limit), 64 * 1024);
    }
  }

  /**
   * What a reader gets: the files, and for a follow, the current file's channel it continues in
   * and the files that replace it as the log rotates.
   */
  record Snapshot(List<Source> sources, Follow follow, FileChannel currentChannel, SpoolPlace consumed,
      AutoCloseable spoolReader) implements AutoCloseable {

    Snapshot withSpoolReader(AutoCloseable r) {
      return new Snapshot(sources, follow, currentChannel, consumed, r);
    }

    @Override
    public void close() throws IOException {
      for (Source s : sources) {
        s.channel().close();
      }
      if (follow != null) {
        follow.close();
      }
      if (spoolReader != null) {
        try {
          spoolReader.close();
        } catch (Exception e) {
          throw new IOException(e);
        }
      }
    }
  }

  /**
   * The size up to which a follow may read the file it is in: -1 once the log has rotated past it
   * (it is complete: read to its end), else the current file's size, which always ends an entry.
   */
  synchronized long readableSize(Follow f) {
    return f.hasNext() ? -1 : size;
  }

  /** The new current files a follow has been handed and not yet reached, in order. */
  static final class Follow implements AutoCloseable {
    private final LogFiles owner;
    private final java.util.ArrayDeque<FileChannel> next = new java.util.ArrayDeque<>();
    private boolean closed;

    Follow(LogFiles owner) {
      this.owner = owner;
    }

    private void next(FileChannel ch) {
      synchronized (next) {
        next.add(ch);
      }
    }

    boolean hasNext() {
      synchronized (next) {
        return !next.isEmpty();
      }
    }

    long readableSize() {
      return owner.readableSize(this);
    }

    /** The file after the one being read, once the log has rotated past it; null if it has not. */
    FileChannel poll() {
      synchronized (next) {
        return next.poll();
      }
    }

    void awaitWrite(long millis) throws InterruptedException {
      if (owner != null) {
        owner.awaitWrite(millis);
      }
    }

    private void closeAll() {
      synchronized (next) {
        closed = true;
      }
    }

    boolean writerClosed() {
      synchronized (next) {
        return closed;
      }
    }

    @Override
    public void close() throws IOException {
      if (owner != null) {
        owner.unregister(this);
      }
      synchronized (next) {
        for (FileChannel ch : next) {
          ch.close();
        }
        next.clear();
      }
    }
  }

  /** Bytes {@code [from, to)} of a file by positional reads; closing the stream leaves the channel open. */
  static InputStream stream(FileChannel channel, long from, long to) {
    return new InputStream() {
      private long pos = from;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (pos >= to) {
          return -1;
        }
        int n = channel.read(ByteBuffer.wrap(b, off, (int) Math.min(len, to - pos)), pos);
        if (n > 0) {
          pos += n;
        }
        return n;
      }
    };
  }
}
