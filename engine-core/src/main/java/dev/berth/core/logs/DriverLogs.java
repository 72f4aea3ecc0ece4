package dev.berth.core.logs;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Containers' logs as their drivers keep them: a pump per running container converts conmon's
 * spool into the driver's files (see {@link LogPump}); a read goes through the rotated files
 * (gzipped or not), the current one and what the pump has not converted yet, and a follow goes on
 * through rotations until the container has stopped and its output is all written.
 */
public final class DriverLogs {

  private static final long MAX_IDLE_WAIT_MILLIS = 100;

  // Guarded by itself: the pump of each container whose output is being converted.
  private final Map<String, LogPump> pumps = new HashMap<>();

  /**
   * Makes sure a pump converts {@code target}'s output while {@code running} says it runs; call it
   * once the container is recorded as running, and for every container when the engine starts
   * (one that has stopped gets what is left of its spool converted, then its pump ends). The pump
   * asks {@code running} as it starts and when {@link #awaitConverted} wakes it, which the engine
   * does once the container's exit is recorded; otherwise once a minute.
   */
  public void pump(LogTarget target, BooleanSupplier running) {
    if (target.settings().driver() == LogDriver.NONE) {
      return;
    }
    synchronized (pumps) {
      LogPump existing = pumps.get(target.id());
      if (existing != null && existing.keepGoing()) {
        return;
      }
      LogPump pump;
      try {
        pump = LogPump.open(target.spool(), target.state(), target.current().orElseThrow(), target.settings(),
            target.attrs(), running);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("opening the log of " + target.id(), e);
      }
      pumps.put(target.id(), pump);
      pump.onEnd(pumps, () -> pumps.remove(target.id(), pump));
      Thread.ofVirtual().name("log-pump-" + target.id().substring(0, Math.min(12, target.id().length())))
          .start(pump);
    }
  }

  /** {@link #pump} for a container that runs, or whose spool holds output no pump has converted yet. */
  public void recover(LogTarget target, BooleanSupplier running) {
    if (target.settings().driver() == LogDriver.NONE) {
      return;
    }
    try {
      long spooled = java.nio.file.Files.size(target.spool());
      if (running.getAsBoolean() || spooled > LogPump.readState(target.state())[0]) {
        pump(target, running);
      }
    } catch (NoSuchFileException e) {
      // never started
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("reading the log state of " + target.id(), e);
    }
  }

  /**
   * Waits (up to {@code millis}) until the pump of a container that has stopped has written all of
   * its output, as dockerd's exit waits for its log copier: {@code docker wait} then finds every line
   * in the driver's files.
   */
  public void awaitConverted(String id, long millis) {
    LogPump pump;
    synchronized (pumps) {
      pump = pumps.get(id);
    }
    if (pump == null) {
      return;
    }
    pump.wake();
    try {
      pump.awaitEnd(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a pump still converts the output of container {@code id}. */
  public boolean pumping(String id) {
    synchronized (pumps) {
      return pumps.containsKey(id);
    }
  }

  /**
   * Sends the selected entries to {@code sink}; with a follow, also what is written until the
   * container has stopped and its pump has written all of its output.
   *
   * @throws IOException from the sink (the client is gone) or reading the files
   */
  public void read(LogTarget target, LogQuery query, BooleanSupplier running, LogSink sink) throws IOException {
    if (target.settings().driver() == LogDriver.NONE) {
      return;
    }
    if (query.follow() && running.getAsBoolean()) {
      pump(target, running);
    }
    LogPump pump;
    synchronized (pumps) {
      pump = pumps.get(target.id());
    }
    LogFormat format = target.settings().driver().format();
    LogFiles.Snapshot snapshot;
    if (pump != null) {
      snapshot = pump.files().snapshot(query.follow());
    } else {
      long[] state = LogPump.readState(target.state());
      snapshot = LogFiles.snapshot(target.current().orElseThrow(), target.settings(), state[1], LogPump.place(state),
          null);
    }
    try (snapshot) {
      // Entries the pump has not converted yet: all of them when not following (a follow gets them as they are written).
      var reader = new Reader(query, sink);
      try (SpoolTail unconverted = snapshot.follow() == null ? SpoolTail.open(target, snapshot.consumed())
          : SpoolTail.empty()) {
        if (!replay(snapshot, format, unconverted, query.tail(), reader)) {
          return;
        }
      }
      if (snapshot.follow() != null) {
        // A followed pump converts as soon as it can (an unwatched one waits longer between looks).
        pump.followed();
        try {
          follow(snapshot, format, pump, running, reader);
        } finally {
          pump.unfollowed();
        }
      }
    }
  }

  /**
   * The spool's records from {@code from} up to its size now, converted as the pump would convert
   * them (held-back text included), streamed: a tail of a long unconverted stretch costs no memory.
   */
  private static final class SpoolTail implements AutoCloseable {
    private final FileChannel channel;
    // The records the files have already (another stream's, after a line held back on one).
    private final SpoolPlace written;
    private long from;
    private final long end;
    private final Map<String, String> attrs;

    private SpoolTail(FileChannel channel, SpoolPlace written, long end, Map<String, String> attrs) {
      this.channel = channel;
      this.written = written;
      this.from = written.offset();
      this.end = end;
      this.attrs = attrs;
    }

    static SpoolTail open(LogTarget target, SpoolPlace written) throws IOException {
      try {
        FileChannel ch = FileChannel.open(target.spool(), StandardOpenOption.READ);
        return new SpoolTail(ch, written, ch.size(), target.attrs());
      } catch (NoSuchFileException e) {
        return empty();
      }
    }

    static SpoolTail empty() {
      return new SpoolTail(null, SpoolPlace.at(0), 0, Map.of());
    }

    /** Sends the entries after the first {@code skip}; false once the reader wants no more. */
    boolean forEach(long skip, EntryConsumer reader) throws IOException {
      if (channel == null || end <= from) {
        return true;
      }
      var records = new ContainerLogs.RecordReader(channel, from, end);
      var converter = new SpoolConverter();
      var messages = new ArrayList<SpoolConverter.Message>();
      long seen = 0;
      boolean more = true;
      while (more) {
        long recordStart = records.consumed();
        byte[] line = records.next();
        if (line == null) {
          converter.flush(messages);
          more = false;
        } else {
          LogEntry record = K8sFileFormat.parse(line, records.offset(), records.length());
          if (record != null && record.stream() != StdStream.STDIN && !written.written(record.stream(), recordStart)) {
            converter.accept(record, 0, messages);
          }
        }
        for (var m : messages) {
          if (seen++ < skip) {
            continue;
          }
          if (!reader.accept(new LogEntry(m.entry().time(), m.entry().stream(), m.entry().data(),
              attrs))) {
            return false;
          }
        }
        messages.clear();
      }
      return true;
    }

    /**
     * Starts where the last {@code lines} lines begin, if the unconverted stretch holds that many:
     * a tail of a long stretch (the pump far behind) reads what the tail is, not the stretch.
     * Afterwards {@link #count} says how many entries are left; when fewer than {@code lines}, it
     * starts at the beginning again.
     */
    long countLast(int lines) throws IOException {
      if (channel == null || end <= from) {
        return 0;
      }
      long start = written.offset();
      long narrowed = TailScan.startOfLastLines(channel, start, end, lines);
      if (narrowed > start) {
        from = narrowed;
        long n = count();
        if (n >= lines) {
          return n;
        }
        from = start;
      }
      return count();
    }

    long count() throws IOException {
      long[] n = {0};
      forEach(0, e -> {
        n[0]++;
        return true;
      });
      return n[0];
    }

    @Override
    public void close() throws IOException {
      if (channel != null) {
        channel.close();
      }
    }
  }

  /**
   * Sends the snapshot's entries (the last {@code tail} of them, or all) and then the unconverted
   * ones; false once the reader wants no more.
   */
  private static boolean replay(LogFiles.Snapshot snapshot, LogFormat format, SpoolTail unconverted, int tail,
      Reader reader) throws IOException {
    List<LogFiles.Source> sources = snapshot.sources();
    int first = 0;
    long firstFrom = 0;
    long skipUnconverted = 0;
    if (tail >= 0) {
      int need = tail;
      long pending = unconverted.countLast(need);
      if (pending >= need) {
        skipUnconverted = pending - need;
        need = 0;
      } else {
        need -= (int) pending;
      }
      first = sources.size();
      int[] found = new int[1];
      for (int i = sources.size() - 1; i >= 0 && need > 0; i--) {
        LogFiles.Source s = sources.get(i);
        if (s.gzipped()) {
          long count = count(s, format);
          first = i;
          if (count >= need) {
            firstFrom = -(count - need); // entries to skip
            need = 0;
          } else {
            firstFrom = 0;
            need -= (int) count;
          }
        } else {
          long start = format.startOfLast(s.channel(), s.limit(), need, found);
          first = i;
          firstFrom = start;
          need -= found[0];
        }
      }
    }
    for (int i = first; i < sources.size(); i++) {
      LogFiles.Source s = sources.get(i);
      long skip = 0;
      long from = 0;
      if (i == first) {
        if (firstFrom < 0) {
          skip = -firstFrom;
        } else {
          from = firstFrom;
        }
      }
      try (InputStream in = s.open(s.gzipped() ? 0 : from)) {
        for (LogEntry e = format.decode(in); e != null; e = format.decode(in)) {
          if (skip > 0) {
            skip--;
            continue;
          }
          if (!reader.accept(e)) {
            return false;
          }
        }
      }
    }
    return unconverted.forEach(skipUnconverted, reader);
  }

  private static long count(LogFiles.Source s, LogFormat format) throws IOException {
    long n = 0;
    try (InputStream in = s.open(0)) {
      while (format.decode(in) != null) {
        n++;
      }
    }
    return n;
  }

  /** Reads on in the current file and the ones that replace it until the pump has ended. */
  private static void follow(LogFiles.Snapshot snapshot, LogFormat format, LogPump pump, BooleanSupplier running,
      Reader reader) throws IOException {
    LogFiles.Follow follow = snapshot.follow();
    FileChannel ch = snapshot.currentChannel();
    if (ch == null) {
      return;
    }
    List<LogFiles.Source> sources = snapshot.sources();
    long pos = sources.isEmpty() ? 0 : sources.get(sources.size() - 1).limit();
    var opened = new ArrayDeque<FileChannel>();
    long idleWait = 1;
    try {
      while (true) {
        boolean over = pump == null || pump.ended();
        long readable = follow.readableSize();
        long end = readable < 0 ? ch.size() : readable;
        if (end > pos) {
          InputStream entries = new BufferedInputStream(LogFiles.stream(ch, pos, end), 64 * 1024);
          for (LogEntry e = format.decode(entries); e != null; e = format.decode(entries)) {
            if (!reader.accept(e)) {
              return;
            }
          }
          pos = end;
          idleWait = 1;
          continue;
        }
        if (readable < 0) {
          FileChannel next = follow.poll();
          if (ch != snapshot.currentChannel()) {
            ch.close();
          }
          ch = next;
          opened.add(next);
          pos = 0;
          continue;
        }
        if (over) {
          return;
        }
        idleWait = Math.min(idleWait * 2, MAX_IDLE_WAIT_MILLIS);
        reader.flush();
        try {
          follow.awaitWrite(idleWait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("log follow interrupted");
        }
      }
    } finally {
      for (FileChannel c : opened) {
        c.close();
      }
    }
  }

  /** Takes entries in order; false when it wants no more. */
  @FunctionalInterface
  private interface EntryConsumer {
    boolean accept(LogEntry e) throws IOException;
  }

  /** The query's filters over entries in order: streams, since, and until (which ends the read). */
  private static final class Reader implements EntryConsumer {
    private final LogQuery query;
    private final LogSink sink;

    Reader(LogQuery query, LogSink sink) {
      this.query = query;
      this.sink = sink;
    }

    void flush() throws IOException {
      sink.flush();
    }

    @Override
    public boolean accept(LogEntry e) throws IOException {
      if (query.until() != null && e.time().isAfter(query.until())) {
        return false;
      }
      if (query.since() != null && e.time().isBefore(query.since())) {
        return true;
      }
      boolean wanted = switch (e.stream()) {
        case STDOUT -> query.stdout();
        case STDERR -> query.stderr();
        case STDIN -> false;
      };
      if (wanted) {
        sink.accept(e);
      }
      return true;
    }
  }
}
