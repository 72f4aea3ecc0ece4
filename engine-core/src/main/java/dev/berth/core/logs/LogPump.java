package dev.berth.core.logs;

import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.SparseFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Moves a container's output from conmon's spool into its driver's files while it runs: reads the
 * k8s-file records from where it left off, writes them as the driver's entries (rotating), records
 * how far it got in a small state file, and frees the spool's converted head. conmon never waits
 * for it (the spool takes whatever comes while berthd is slow or down); after a restart it goes on
 * from the recorded place, first cutting off what it had written after recording it, so nothing is
 * lost or written twice.
 */
final class LogPump implements Runnable {

  private static final System.Logger LOG = System.getLogger(LogPump.class.getName());
  // Converted spool bytes are freed in steps of at least this much (one fallocate call each).
  private static final long FREE_STEP = 1024 * 1024;
  // A batch is converted, written and recorded at most this many entries or bytes at a time.
  private static final int BATCH = 4096;
  private static final int BATCH_BYTES = 1024 * 1024;
  // The longest wait between looks at the spool while a client follows the log (it sees only what
  // the pump has converted), and while none does (a plain read includes what is not converted yet).
  private static final long MAX_IDLE_WAIT_MILLIS = 50;
  private static final long UNWATCHED_IDLE_WAIT_MILLIS = 1000;
  // How long a pump that is not woken goes on before it asks again whether its container runs. The
  // engine wakes it once the container's exit is recorded (DriverLogs.awaitConverted), so this only
  // bounds how long a pump could outlive its container if a wake were missed. Asking on every idle
  // poll (a store lookup 20 times a second per running container) cost berthd ~8 ms of CPU per
  // second per idle container (docs/benchmarks.md).
  private static final long RUNNING_RECHECK_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
  // The state file: the spool offset, the current file's size, then how far stdout's and stderr's
  // records are written (a SpoolPlace). Older berths wrote the first two only.
  private static final int STATE_SIZE = 32;
  private static final int OLD_STATE_SIZE = 16;

  private final Path spool;
  private final LogFiles files;
  private final LogFormat format;
  private final Map<String, String> attrs;
  private final BooleanSupplier running;
  private final FileChannel state;
  private final SpoolConverter converter = new SpoolConverter();
  // Set when the container starts again while this pump may be deciding to end: it goes on instead.
  private final java.util.concurrent.atomic.AtomicBoolean restarted = new java.util.concurrent.atomic.AtomicBoolean();
  private Runnable onEnd = () -> { };
  private volatile boolean ended;
  private final java.util.concurrent.CountDownLatch endedLatch = new java.util.concurrent.CountDownLatch(1);
  private long freed;
  private boolean canFree = true;
  // Where the last pump left the spool: the records it wrote are passed over.
  private SpoolPlace resume = SpoolPlace.at(0);

  private LogPump(Path spool, LogFiles files, LogFormat format, Map<String, String> attrs, BooleanSupplier running,
      FileChannel state) {
    this.spool = spool;
    this.files = files;
    this.format = format;
    this.attrs = Map.copyOf(attrs);
    this.running = running;
    this.state = state;
  }

  /**
   * Opens the driver's files where the last pump left them.
   *
   * @param stateFile where the pump records its place (the spool offset and the current file's size)
   */
  static LogPump open(Path spool, Path stateFile, Path current, LogSettings settings, Map<String, String> attrs,
      BooleanSupplier running) throws IOException {
    FileChannel state = FileChannel.open(stateFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    try {
      long[] s = readState(state);
      SpoolPlace place = place(s);
      var files = new LogFiles(current, settings, s[1], place);
      var pump = new LogPump(spool, files, settings.driver().format(), attrs, running, state);
      pump.freed = s[0];
      pump.resume = place;
      return pump;
    } catch (IOException | RuntimeException e) {
      state.close();
      throw e;
    }
  }

  /**
   * The spool offset, current file size, and how far stdout and stderr are written, recorded last;
   * all 0 when nothing is recorded. A pump records its place after every write, so a current file
   * with no place recorded holds only what a pump killed before its first record wrote: the spool
   * still has all of it, and the file counts as empty (it is cut back to nothing when a pump takes
   * over, and a read leaves it out).
   */
  static long[] readState(FileChannel state) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(STATE_SIZE);
    while (b.hasRemaining() && state.read(b, b.position()) > 0) {
      // read on
    }
    if (b.position() < OLD_STATE_SIZE) {
      return new long[] {0, 0, 0, 0};
    }
    if (b.position() < STATE_SIZE) {
      return new long[] {b.getLong(0), b.getLong(8), b.getLong(0), b.getLong(0)};
    }
    return new long[] {b.getLong(0), b.getLong(8), b.getLong(16), b.getLong(24)};
  }

  /** The spool place of a state {@link #readState} read. */
  static SpoolPlace place(long[] state) {
    return new SpoolPlace(Math.max(state[0], state[2]), Math.max(state[0], state[3]));
  }

  static long[] readState(Path stateFile) throws IOException {
    try (FileChannel ch = FileChannel.open(stateFile, StandardOpenOption.READ)) {
      return readState(ch);
    } catch (NoSuchFileException e) {
      return new long[] {0, 0, 0, 0};
    }
  }

  LogFiles files() {
    return files;
  }

  /**
   * Called (under the registry's lock) when the container starts again: the pump keeps going if it
   * still runs. False if it has already decided to end; a new pump must take over.
   */
  boolean keepGoing() {
    if (ended) {
      return false;
    }
    restarted.set(true);
    return true;
  }

  private final java.util.concurrent.atomic.AtomicInteger followers = new java.util.concurrent.atomic.AtomicInteger();
  private final Object wakeLock = new Object();
  // Guarded by wakeLock: set by wake, so a wake between the pump's check and its wait is not lost.
  private boolean woken;

  /** Ends the pump's idle wait now: the container has stopped, its last output is to be converted. */
  void wake() {
    synchronized (wakeLock) {
      woken = true;
      wakeLock.notifyAll();
    }
  }

  /** A client follows the log from now on: the pump looks at the spool at once, and often, until it is done. */
  void followed() {
    followers.incrementAndGet();
    synchronized (wakeLock) {
      wakeLock.notifyAll();
    }
  }

  /** A client that followed the log is done. */
  void unfollowed() {
    followers.decrementAndGet();
  }

  /** Waits up to {@code millis} for the pump to end; false if it has not. */
  boolean awaitEnd(long millis) throws InterruptedException {
    return endedLatch.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** Whether the pump has ended: its files are closed and every entry it will write is written. */
  boolean ended() {
    return ended;
  }

  /** {@code action} runs under the registry's lock when the pump decides to end; see {@link #keepGoing}. */
  void onEnd(Object lock, Runnable action) {
    this.endLock = lock;
    this.onEnd = action;
  }

  private Object endLock = new Object();

  private boolean mayEnd() {
    synchronized (endLock) {
      if (restarted.getAndSet(false)) {
        return false;
      }
      ended = true;
      onEnd.run();
      endedLatch.countDown();
      return true;
    }
  }

  /** Pumps until the container has stopped and its output is all converted, then closes the files. */
  @Override
  public void run() {
    try (state; files) {
      FileChannel in = null;
      long idleWait = 1;
      boolean ask = true;
      boolean alive = true;
      long asked = 0;
      try {
        while (true) {
          if (ask || System.nanoTime() - asked >= RUNNING_RECHECK_NANOS) {
            alive = running.getAsBoolean();
            asked = System.nanoTime();
          }
          if (in == null) {
            in = openSpool();
          }
          boolean any = in != null && pumpAvailable(in);
          if (!alive) {
            // Sampled before the drain: conmon has written everything before the exit was recorded.
            if (in != null) {
              pumpAvailable(in);
            }
            var rest = new ArrayList<SpoolConverter.Message>();
            converter.flush(rest);
            commit(rest, List.of(), in == null ? files.place() : converter.place(reader.consumed(), resume));
            if (mayEnd()) {
              return;
            }
            ask = true;
            continue;
          }
          idleWait = any ? 1 : Math.min(idleWait * 2, followers.get() > 0 ? MAX_IDLE_WAIT_MILLIS
              : UNWATCHED_IDLE_WAIT_MILLIS);
          synchronized (wakeLock) {
            if (!woken) {
              wakeLock.wait(idleWait);
            }
            // Only a wake (the container has stopped, or is to be looked at again) makes the pump ask.
            ask = woken;
            woken = false;
          }
        }
      } finally {
        if (in != null) {
          in.close();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "log pump for " + spool + " stopped: " + e.getMessage(), e);
    } finally {
      synchronized (endLock) {
        if (!ended) {
          ended = true;
          onEnd.run();
        }
        endedLatch.countDown();
      }
    }
  }

  private ContainerLogs.RecordReader reader;

  private FileChannel openSpool() throws IOException {
    try {
      FileChannel ch = FileChannel.open(spool, StandardOpenOption.READ);
      reader = new ContainerLogs.RecordReader(ch, files.consumed());
      return ch;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Converts the complete records the spool has now; true if there were any. */
  boolean pumpAvailable(FileChannel in) throws IOException {
    var out = new ArrayList<SpoolConverter.Message>();
    var offsets = new ArrayList<SpoolPlace>();
    boolean any = false;
    long recordStart = reader.consumed();
    int bytes = 0;
    for (byte[] line = reader.next(); line != null; line = reader.next()) {
      any = true;
      bytes += reader.length();
      LogEntry record = K8sFileFormat.parse(line, reader.offset(), reader.length());
      if (record != null && record.stream() != StdStream.STDIN && !resume.written(record.stream(), recordStart)) {
        converter.accept(record, recordStart, out);
      }
      recordStart = reader.consumed();
      // The spool is converted up to here once this record's entries are written.
      if (offsets.size() < out.size()) {
        SpoolPlace safe = converter.place(recordStart, resume);
        while (offsets.size() < out.size()) {
          offsets.add(safe);
        }
      }
      if (out.size() >= BATCH || bytes >= BATCH_BYTES) {
        commit(out, offsets, converter.place(recordStart, resume));
        out.clear();
        offsets.clear();
        bytes = 0;
      }
    }
    if (any) {
      commit(out, offsets, converter.place(recordStart, resume));
    }
    return any;
  }

  /** Writes the entries and records the place they take the pump to (also around a rotation). */
  private void commit(List<SpoolConverter.Message> messages, List<SpoolPlace> offsets, SpoolPlace offset)
      throws IOException {
    var encoded = new ArrayList<byte[]>(messages.size());
    SpoolPlace[] after = new SpoolPlace[messages.size()];
    for (int i = 0; i < messages.size(); i++) {
      var m = messages.get(i);
      encoded.add(format.encode(m.entry(), m.split(), attrs));
      after[i] = i < offsets.size() ? offsets.get(i) : offset;
    }
    files.write(encoded, after, offset, this::recordPlace);
    recordPlace(offset, files.size());
    free();
  }

  private void recordPlace(SpoolPlace spool, long currentSize) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(STATE_SIZE).putLong(0, spool.offset()).putLong(8, currentSize)
        .putLong(16, spool.stdout()).putLong(24, spool.stderr());
    while (b.hasRemaining()) {
      state.write(b, b.position());
    }
  }

  /** Frees the spool's head up to what is converted and behind every reader, in whole 4 KB blocks. */
  private void free() {
    if (!canFree) {
      return;
    }
    long limit = files.freeable() & ~4095L;
    if (limit - freed < FREE_STEP) {
      return;
    }
    try {
      canFree = SparseFiles.punchHead(spool, limit);
      freed = limit;
      if (!canFree) {
        LOG.log(System.Logger.Level.WARNING, "the file system of " + spool + " cannot punch holes: the spool keeps "
            + "what was converted until the container is removed");
      }
    } catch (ErrnoException e) {
      LOG.log(System.Logger.Level.WARNING, "freeing the head of " + spool + ": " + e.getMessage());
    }
  }
}
