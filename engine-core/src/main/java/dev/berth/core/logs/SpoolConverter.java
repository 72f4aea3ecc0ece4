package dev.berth.core.logs;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Turns conmon's k8s-file records into the messages dockerd's copier would have made of the same
 * output (moby daemon/logger/copier.go): one message a line; a line longer than 16 KB in 16 KB
 * pieces that share the first piece's time and a random id; text without a newline held back
 * until the newline comes, the 16 KB fill or the output ends (then a partial message). conmon
 * splits where its reads happened to end, so its partial records are joined here. Streams are
 * joined separately, as dockerd copies each from its own pipe.
 */
final class SpoolConverter {

  /** dockerd's copier buffer: the longest line kept in one message. */
  static final int MAX_LINE = 16 * 1024;
  private static final SecureRandom IDS = new SecureRandom();

  /** An entry to write and, for a piece of a long line, which piece. */
  record Message(LogEntry entry, LogFormat.Split split) {}

  private final Pending[] pending = {new Pending(), new Pending(), new Pending()};

  private static final class Pending {
    final ByteArrayOutputStream text = new ByteArrayOutputStream();
    Instant time;
    long start = -1;
    String id;
    int ordinal;
  }

  /**
   * Takes one record, which began at {@code recordStart} in the spool, and adds the messages it
   * completes to {@code out}.
   */
  void accept(LogEntry record, long recordStart, List<Message> out) {
    Pending p = pending[record.stream().code()];
    byte[] data = record.data();
    boolean ends = record.endsLine();
    if (ends && p.text.size() == 0 && p.id == null && data.length <= MAX_LINE) {
      // A whole line in one record, the usual case: it is its own message.
      out.add(new Message(record, null));
      return;
    }
    if (p.text.size() == 0 && p.id == null) {
      p.time = record.time();
      p.start = recordStart;
    }
    p.text.write(data, 0, ends ? data.length - 1 : data.length);
    while (p.text.size() >= MAX_LINE) {
      byte[] all = p.text.toByteArray();
      if (p.id == null) {
        p.id = HexFormat.of().formatHex(randomBytes());
        p.ordinal = 0;
      }
      p.ordinal++;
      out.add(new Message(new LogEntry(p.time, record.stream(), java.util.Arrays.copyOf(all, MAX_LINE)),
          new LogFormat.Split(p.id, p.ordinal, false)));
      p.text.reset();
      p.text.write(all, MAX_LINE, all.length - MAX_LINE);
      // The rest is still held against the record it came from.
      p.start = recordStart;
    }
    if (ends) {
      byte[] line = p.text.toByteArray();
      byte[] withNewline = java.util.Arrays.copyOf(line, line.length + 1);
      withNewline[line.length] = '\n';
      LogFormat.Split split = p.id == null ? null : new LogFormat.Split(p.id, p.ordinal + 1, true);
      out.add(new Message(new LogEntry(p.time, record.stream(), withNewline), split));
      reset(p);
    }
  }

  /** The output ended (the container stopped): what is held back goes out as partial messages. */
  void flush(List<Message> out) {
    for (int s = 0; s < pending.length; s++) {
      Pending p = pending[s];
      if (p.text.size() > 0) {
        LogFormat.Split split = p.id == null ? null : new LogFormat.Split(p.id, p.ordinal + 1, false);
        out.add(new Message(new LogEntry(p.time, s == 2 ? StdStream.STDERR : StdStream.STDOUT, p.text.toByteArray()),
            split));
      }
      reset(p);
    }
  }

  /**
   * How far the spool is converted once the messages given so far are written, having read up to
   * {@code end}; {@code floor} is where a stream's records were passed over up to (written before).
   */
  SpoolPlace place(long end, SpoolPlace floor) {
    long out = held(pending[StdStream.STDOUT.code()]);
    long err = held(pending[StdStream.STDERR.code()]);
    return new SpoolPlace(out >= 0 ? out : Math.max(end, floor.stdout()), err >= 0 ? err : Math.max(end, floor.stderr()));
  }

  private static long held(Pending p) {
    return p.text.size() > 0 ? p.start : -1;
  }

  private static void reset(Pending p) {
    p.text.reset();
    p.time = null;
    p.start = -1;
    p.id = null;
    p.ordinal = 0;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    IDS.nextBytes(b);
    return b;
  }
}
