package dev.berth.core.logs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Reads a k8s-file log as conmon writes it (the spool {@link DriverLogs} converts): the records a
 * {@link LogQuery} selects, byte for byte as the container wrote them, then (when following) what
 * is appended until the container has stopped. Its {@link RecordReader} is how the pump and the
 * readers of the unconverted spool tail walk records.
 */
public final class ContainerLogs {

  private static final int BLOCK = 64 * 1024;
  // A follow polls the file's size: quickly while output flows, backing off to this when idle.
  private static final long MAX_IDLE_WAIT_MILLIS = 100;

  private ContainerLogs() {}

  /**
   * Sends the selected records to {@code sink}. With {@code follow}, keeps reading while {@code
   * stillRunning} says so; once it says no, reads to the end of the file and returns, so every
   * byte written before the container stopped is delivered (conmon records the exit only after
   * its log is flushed).
   *
   * @throws IOException from the sink (the client is gone) or from reading the file
   */
  public static void read(Path file, LogQuery query, BooleanSupplier stillRunning, LogSink sink) throws IOException {
    FileChannel channel = open(file, query, stillRunning);
    if (channel == null) {
      return;
    }
    try (channel) {
      long start = query.tail() < 0 ? 0 : TailScan.startOfLastLines(channel, query.tail());
      var records = new RecordReader(channel, start);
      long idleWait = 1;
      while (true) {
        // Sampled before draining: when it says stopped, the drain that follows sees the whole log.
        boolean running = query.follow() && stillRunning.getAsBoolean();
        boolean any = false;
        for (byte[] line = records.next(); line != null; line = records.next()) {
          any = true;
          LogEntry entry = K8sFileFormat.parse(line, records.offset(), records.length());
          if (entry == null) {
            continue;
          }
          if (query.until() != null && entry.time().isAfter(query.until())) {
            return;
          }
          if (wanted(query, entry)) {
            sink.accept(entry);
          }
        }
        if (!running) {
          return;
        }
        idleWait = any ? 1 : Math.min(idleWait * 2, MAX_IDLE_WAIT_MILLIS);
        pause(idleWait);
      }
    }
  }

  private static boolean wanted(LogQuery query, LogEntry entry) {
    if (query.since() != null && entry.time().isBefore(query.since())) {
      return false;
    }
    return switch (entry.stream()) {
      case STDOUT -> query.stdout();
      case STDERR -> query.stderr();
      case STDIN -> false;
    };
  }

  // conmon creates the log when it starts; a follow that begins earlier waits for it.
  private static FileChannel open(Path file, LogQuery query, BooleanSupplier stillRunning) throws IOException {
    long idleWait = 1;
    while (true) {
      boolean running = query.follow() && stillRunning.getAsBoolean();
      try {
        return FileChannel.open(file, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        if (!running) {
          return null;
        }
      }
      idleWait = Math.min(idleWait * 2, MAX_IDLE_WAIT_MILLIS);
      pause(idleWait);
    }
  }

  private static void pause(long millis) throws InterruptedIOException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("log read interrupted");
    }
  }

  /**
   * Complete lines from a position on; a line still being written stays buffered until its newline.
   *
   * <p>Its buffer starts small and grows while there is more to read (and to hold a long line):
   * every running container's log pump keeps one for the container's life, and most containers
   * write little, so 128 KiB each from the start was most of berthd's heap per running container.
   */
  static final class RecordReader {
    static final int FIRST_BLOCK = 4 * 1024;

    private final FileChannel channel;
    // The bytes read and not yet handed out are buf[start, end); the file position of buf[end] is position.
    private byte[] buf = new byte[FIRST_BLOCK];
    private int start;
    private int end;
    // Where the search for the next newline goes on from (all before it in buf[start, scan) has none).
    private int scan;
    private int lineOffset;
    // The last read filled the buffer: there is likely more, so the next read takes a bigger one.
    private boolean filled;
    private int lineLength;
    private long position;
    private final long limit;

    RecordReader(FileChannel channel, long position) {
      this(channel, position, Long.MAX_VALUE);
    }

    /** Reads no further than {@code limit}. */
    RecordReader(FileChannel channel, long position, long limit) {
      this.channel = channel;
      this.position = position;
      this.limit = limit;
    }

    /**
     * The next complete line without its newline (valid from {@link #offset()} for {@link
     * #length()} bytes, until the next call), or null for now.
     */
    byte[] next() throws IOException {
      while (true) {
        for (int i = scan; i < end; i++) {
          if (buf[i] == '\n') {
            lineOffset = start;
            lineLength = i - start;
            start = i + 1;
            scan = start;
            return buf;
          }
        }
        scan = end;
        if (start > 0) {
          // Keep the partial line at the front, then read after it.
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          scan -= start;
          start = 0;
        }
        if (end == buf.length || filled && buf.length < BLOCK) {
          buf = Arrays.copyOf(buf, buf.length * 2);
        }
        int room = (int) Math.min(buf.length - end, limit - position);
        int n = room <= 0 ? -1 : channel.read(ByteBuffer.wrap(buf, end, room), position);
        filled = n == room;
        if (n <= 0) {
          return null;
        }
        end += n;
        position += n;
      }
    }

    int offset() {
      return lineOffset;
    }

    int length() {
      return lineLength;
    }

    /** The bytes its buffer holds now. */
    int buffered() {
      return buf.length;
    }

    /** The file position just after the last line handed out (or where reading began). */
    long consumed() {
      return position - (end - start);
    }
  }
}
