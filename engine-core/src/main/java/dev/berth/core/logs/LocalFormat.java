package dev.berth.core.logs;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * dockerd's local format: each entry a protobuf {@code LogEntry} (moby
 * daemon/logger/internal/logdriver/entry.proto: source=1, time_nano=2, line=3, partial=4,
 * partial_log_metadata=5 {last=1, id=2, ordinal=3}, attrs=6 {key=1, value=2}) framed by its length
 * as a big-endian uint32 before and after, so the file can be read backwards. The line is stored
 * without its newline; an entry that is not partial, or the last piece of a split line, ends one.
 */
final class LocalFormat implements LogFormat {

  static final LocalFormat INSTANCE = new LocalFormat();
  // moby local.maxMsgLen: a frame larger than this is corrupt.
  private static final int MAX_ENTRY = 1024 * 1024;

  private LocalFormat() {}

  @Override
  public byte[] encode(LogEntry entry, Split split, Map<String, String> attrs) {
    var proto = new ByteArrayOutputStream(entry.data().length + 64);
    byte[] source = (entry.stream() == StdStream.STDERR ? "stderr" : "stdout").getBytes(StandardCharsets.US_ASCII);
    field(proto, 1, source);
    proto.write(0x10);
    varint(proto, entry.time().getEpochSecond() * 1_000_000_000L + entry.time().getNano());
    byte[] data = entry.data();
    int length = entry.endsLine() && split == null ? data.length - 1 : data.length;
    if (split != null && split.last() && entry.endsLine()) {
      length = data.length - 1;
    }
    if (length > 0) {
      proto.write(0x1a);
      varint(proto, length);
      proto.write(data, 0, length);
    }
    boolean partial = split != null || !entry.endsLine();
    if (partial) {
      proto.write(0x20);
      proto.write(1);
      var meta = new ByteArrayOutputStream();
      if (split != null && split.last()) {
        meta.write(0x08);
        meta.write(1);
      }
      if (split != null) {
        field(meta, 2, split.id().getBytes(StandardCharsets.US_ASCII));
        meta.write(0x18);
        varint(meta, split.ordinal());
      }
      field(proto, 5, meta.toByteArray());
    }
    for (var e : new TreeMap<>(attrs).entrySet()) {
      var attr = new ByteArrayOutputStream();
      field(attr, 1, e.getKey().getBytes(StandardCharsets.UTF_8));
      field(attr, 2, e.getValue().getBytes(StandardCharsets.UTF_8));
      field(proto, 6, attr.toByteArray());
    }
    int size = proto.size();
    var out = ByteBuffer.allocate(size + 8);
    out.putInt(size).put(proto.toByteArray()).putInt(size);
    return out.array();
  }

  private static void field(ByteArrayOutputStream out, int number, byte[] value) {
    if (value.length == 0 && number != 5) {
      return;
    }
    out.write(number << 3 | 2);
    varint(out, value.length);
    out.writeBytes(value);
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7fL) != 0) {
      out.write((int) (v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write((int) v);
  }

  @Override
  public LogEntry decode(InputStream in) throws IOException {
    byte[] head = in.readNBytes(4);
    if (head.length < 4) {
      return null;
    }
    int size = ByteBuffer.wrap(head).getInt();
    if (size < 0 || size > MAX_ENTRY) {
      throw new IOException("corrupt local log: an entry of " + size + " bytes");
    }
    byte[] proto = in.readNBytes(size);
    byte[] tail = in.readNBytes(4);
    if (proto.length < size || tail.length < 4) {
      return null;
    }
    return parse(proto);
  }

  static LogEntry parse(byte[] p) throws IOException {
    var r = new Reader(p, 0, p.length);
    StdStream stream = StdStream.STDOUT;
    long nanos = 0;
    byte[] line = new byte[0];
    boolean partial = false;
    boolean last = false;
    var attrs = new TreeMap<String, String>();
    while (r.more()) {
      long tag = r.varint();
      int number = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      switch (number) {
        case 1 -> stream = new String(r.bytes(), StandardCharsets.US_ASCII).equals("stderr") ? StdStream.STDERR
            : StdStream.STDOUT;
        case 2 -> nanos = r.varint();
        case 3 -> line = r.bytes();
        case 4 -> partial = r.varint() != 0;
        case 5 -> {
          byte[] m = r.bytes();
          var mr = new Reader(m, 0, m.length);
          while (mr.more()) {
            long t = mr.varint();
            if (t >>> 3 == 1) {
              last = mr.varint() != 0;
            } else {
              mr.skip((int) (t & 7));
            }
          }
        }
        case 6 -> {
          byte[] a = r.bytes();
          var ar = new Reader(a, 0, a.length);
          String k = "";
          String v = "";
          while (ar.more()) {
            long t = ar.varint();
            if (t >>> 3 == 1) {
              k = new String(ar.bytes(), StandardCharsets.UTF_8);
            } else if (t >>> 3 == 2) {
              v = new String(ar.bytes(), StandardCharsets.UTF_8);
            } else {
              ar.skip((int) (t & 7));
            }
          }
          attrs.put(k, v);
        }
        default -> r.skip(wire);
      }
    }
    byte[] data = line;
    if (!partial || last) {
      data = Arrays.copyOf(line, line.length + 1);
      data[line.length] = '\n';
    }
    Instant time = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    return new LogEntry(time, stream, data, attrs);
  }

  @Override
  public long startOfLast(FileChannel file, long end, int wanted, int[] found) throws IOException {
    found[0] = 0;
    long pos = end;
    ByteBuffer len = ByteBuffer.allocate(4);
    while (pos >= 8 && found[0] < wanted) {
      len.clear();
      LogFiles.readFully(file, len, pos - 4);
      int size = len.getInt(0);
      if (size < 0 || size > MAX_ENTRY || pos - size - 8 < 0) {
        throw new IOException("corrupt local log: an entry of " + size + " bytes");
      }
      pos -= size + 8L;
      found[0]++;
    }
    return pos;
  }

  /** Reads protobuf wire values from a byte range. */
  private static final class Reader {
    private final byte[] b;
    private int i;
    private final int end;

    Reader(byte[] b, int from, int end) {
      this.b = b;
      this.i = from;
      this.end = end;
    }

    boolean more() {
      return i < end;
    }

    long varint() throws IOException {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (i >= end) {
          throw new EOFException("truncated varint");
        }
        int c = b[i++] & 0xff;
        v |= (long) (c & 0x7f) << shift;
        if ((c & 0x80) == 0) {
          return v;
        }
      }
      throw new IOException("bad varint");
    }

    byte[] bytes() throws IOException {
      int n = (int) varint();
      if (n < 0 || i + n > end) {
        throw new EOFException("truncated field");
      }
      byte[] out = Arrays.copyOfRange(b, i, i + n);
      i += n;
      return out;
    }

    void skip(int wire) throws IOException {
      switch (wire) {
        case 0 -> varint();
        case 1 -> i += 8;
        case 2 -> bytes();
        case 5 -> i += 4;
        default -> throw new IOException("bad wire type " + wire);
      }
    }
  }
}
