package dev.berth.core.logs;

import dev.berth.core.time.Rfc3339;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.TreeMap;

/**
 * dockerd's json-file format: one object a line, {@code {"log":"...","stream":"stdout","time":"..."}}
 * with {@code attrs} between stream and time when the driver adds some. Strings are escaped as
 * moby's jsonlog (ffjson) escapes them: {@code <>&} and U+2028/U+2029 as {@code \\u} escapes,
 * invalid UTF-8 as U+FFFD; the time is Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped).
 */
final class JsonFileFormat implements LogFormat {

  static final JsonFileFormat INSTANCE = new JsonFileFormat();
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int BLOCK = 64 * 1024;

  private JsonFileFormat() {}

  private static final byte[] LOG_KEY = "{\"log\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STDOUT = ",\"stream\":\"stdout\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] STDERR = ",\"stream\":\"stderr\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TIME_KEY = ",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\"}\n".getBytes(StandardCharsets.US_ASCII);

  @Override
  public byte[] encode(LogEntry entry, Split split, Map<String, String> attrs) {
    var out = new Bytes(entry.data().length + 96);
    out.write(LOG_KEY, 0, LOG_KEY.length);
    writeString(out, entry.data(), 0, entry.data().length);
    byte[] stream = entry.stream() == StdStream.STDERR ? STDERR : STDOUT;
    out.write(stream, 0, stream.length);
    if (!attrs.isEmpty()) {
      out.writeAscii(",\"attrs\":{");
      boolean first = true;
      for (var e : new TreeMap<>(attrs).entrySet()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
        byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
        writeString(out, k, 0, k.length);
        out.write(':');
        writeString(out, v, 0, v.length);
      }
      out.write('}');
    }
    out.write(TIME_KEY, 0, TIME_KEY.length);
    writeTime(out, entry.time());
    out.write(END, 0, END.length);
    return out.toByteArray();
  }

  /** A growable byte array without ByteArrayOutputStream's locking: encoding writes a byte at a time. */
  static final class Bytes {
    private byte[] b;
    private int n;

    Bytes(int capacity) {
      b = new byte[capacity];
    }

    void write(int v) {
      if (n == b.length) {
        b = java.util.Arrays.copyOf(b, b.length * 2);
      }
      b[n++] = (byte) v;
    }

    void write(byte[] s, int from, int length) {
      if (n + length > b.length) {
        b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, n + length));
      }
      System.arraycopy(s, from, b, n, length);
      n += length;
    }

    void writeAscii(String s) {
      byte[] a = s.getBytes(StandardCharsets.US_ASCII);
      write(a, 0, a.length);
    }

    byte[] toByteArray() {
      return n == b.length ? b : java.util.Arrays.copyOf(b, n);
    }
  }

  /** Go's time.RFC3339Nano of a UTC time: the fraction without trailing zeros, none at all when zero. */
  static String rfc3339Nano(Instant t) {
    var out = new Bytes(32);
    writeTime(out, t);
    return new String(out.toByteArray(), StandardCharsets.US_ASCII);
  }

  /** A second and its {@code yyyy-MM-ddTHH:mm:ss}: entries come many a second. */
  private record Second(long epochSecond, byte[] text) {}

  private static Second lastSecond = new Second(Long.MIN_VALUE, new byte[0]);

  private static void writeTime(Bytes out, Instant t) {
    Second last = lastSecond;
    if (last.epochSecond() != t.getEpochSecond()) {
      String text = SECOND.format(t);
      last = new Second(t.getEpochSecond(), text.getBytes(StandardCharsets.US_ASCII));
      lastSecond = last;
    }
    out.write(last.text(), 0, last.text().length);
    int nanos = t.getNano();
    if (nanos != 0) {
      byte[] frac = new byte[10];
      frac[0] = '.';
      for (int i = 9; i >= 1; i--) {
        frac[i] = (byte) ('0' + nanos % 10);
        nanos /= 10;
      }
      int end = 10;
      while (frac[end - 1] == '0') {
        end--;
      }
      out.write(frac, 0, end);
    }
    out.write('Z');
  }

  private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
      .withZone(ZoneOffset.UTC);

  private static void writeString(Bytes out, byte[] s, int from, int to) {
    out.write('"');
    int start = from;
    int i = from;
    while (i < to) {
      int b = s[i] & 0xff;
      if (b < 0x80) {
        if (b >= 0x20 && b != '\\' && b != '"' && b != '<' && b != '>' && b != '&') {
          i++;
          continue;
        }
        out.write(s, start, i - start);
        switch (b) {
          case '\\', '"' -> {
            out.write('\\');
            out.write(b);
          }
          case '\n' -> {
            out.write('\\');
            out.write('n');
          }
          case '\r' -> {
            out.write('\\');
            out.write('r');
          }
          default -> {
            out.write('\\');
            out.write('u');
            out.write('0');
            out.write('0');
            out.write(HEX[b >> 4]);
            out.write(HEX[b & 0xf]);
          }
        }
        i++;
        start = i;
        continue;
      }
      int size = utf8Length(s, i, to);
      if (size < 0) {
        out.write(s, start, i - start);
        out.writeAscii("\\ufffd");
        i++;
        start = i;
        continue;
      }
      // U+2028 and U+2029: E2 80 A8 / E2 80 A9.
      if (size == 3 && b == 0xe2 && (s[i + 1] & 0xff) == 0x80 && ((s[i + 2] & 0xff) == 0xa8 || (s[i + 2] & 0xff) == 0xa9)) {
        out.write(s, start, i - start);
        out.writeAscii((s[i + 2] & 0xff) == 0xa8 ? "\\u2028" : "\\u2029");
        i += 3;
        start = i;
        continue;
      }
      i += size;
    }
    out.write(s, start, to - start);
    out.write('"');
  }

  /** The length of the valid UTF-8 sequence at {@code i} (as Go's utf8.DecodeRune accepts it), or -1. */
  static int utf8Length(byte[] s, int i, int to) {
    int b = s[i] & 0xff;
    int n;
    int min;
    if (b >= 0xc2 && b <= 0xdf) {
      n = 2;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      n = 3;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 4;
      min = 0x10000;
    } else {
      return -1;
    }
    if (i + n > to) {
      return -1;
    }
    int cp = b & (0xff >> (n + 1));
    for (int k = 1; k < n; k++) {
      int c = s[i + k] & 0xff;
      if ((c & 0xc0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return -1;
    }
    return n;
  }

  /** Where a decode looks for the next newline, a chunk at a time: one per thread, reused. */
  private static final ThreadLocal<byte[]> CHUNK = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

  @Override
  public LogEntry decode(InputStream in) throws IOException {
    if (!in.markSupported()) {
      return decodeByByte(in);
    }
    // A chunk at a time: read ahead, find the newline, step back to just after it. A byte at a
    // time cost more than everything else a log read does.
    byte[] chunk = CHUNK.get();
    ByteArrayOutputStream longLine = null;
    while (true) {
      in.mark(chunk.length);
      int n = in.read(chunk, 0, chunk.length);
      if (n <= 0) {
        return null;
      }
      int nl = -1;
      for (int i = 0; i < n; i++) {
        if (chunk[i] == '\n') {
          nl = i;
          break;
        }
      }
      if (nl < 0) {
        if (longLine == null) {
          longLine = new ByteArrayOutputStream(2 * chunk.length);
        }
        longLine.write(chunk, 0, n);
        continue;
      }
      in.reset();
      in.skipNBytes(nl + 1);
      byte[] line;
      if (longLine == null) {
        line = java.util.Arrays.copyOf(chunk, nl);
      } else {
        longLine.write(chunk, 0, nl);
        line = longLine.toByteArray();
        longLine = null;
      }
      LogEntry e = parse(line);
      if (e != null) {
        return e;
      }
    }
  }

  private static LogEntry decodeByByte(InputStream in) throws IOException {
    var line = new ByteArrayOutputStream(256);
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == '\n') {
        LogEntry e = parse(line.toByteArray());
        if (e != null) {
          return e;
        }
        line.reset();
        continue;
      }
      line.write(b);
    }
  }

  /** One line's object; null if it is not one of ours. */
  static LogEntry parse(byte[] line) {
    var p = new Parser(line);
    try {
      return p.object();
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public long startOfLast(FileChannel file, long end, int wanted, int[] found) throws IOException {
    found[0] = 0;
    if (wanted == 0 || end == 0) {
      return end;
    }
    ByteBuffer block = ByteBuffer.allocate(BLOCK);
    // The byte at end-1 is the newline of the last entry; each newline before it starts an entry.
    long blockEnd = end - 1;
    while (blockEnd > 0) {
      long blockStart = Math.max(0, blockEnd - BLOCK);
      block.clear().limit((int) (blockEnd - blockStart));
      LogFiles.readFully(file, block, blockStart);
      for (int i = block.limit() - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          found[0]++;
          if (found[0] == wanted) {
            return blockStart + i + 1;
          }
        }
      }
      blockEnd = blockStart;
    }
    found[0]++;
    return 0;
  }

  /** Just enough JSON for our own lines: an object of strings and one object of strings. */
  private static final class Parser {
    private final byte[] b;
    private int i;

    Parser(byte[] b) {
      this.b = b;
    }

    LogEntry object() {
      expect('{');
      byte[] log = new byte[0];
      StdStream stream = StdStream.STDOUT;
      Instant time = null;
      Map<String, String> attrs = Map.of();
      if (peek() != '}') {
        while (true) {
          String key = new String(string(), StandardCharsets.UTF_8);
          expect(':');
          switch (key) {
            case "log" -> log = string();
            case "stream" -> stream = new String(string(), StandardCharsets.UTF_8).equals("stderr") ? StdStream.STDERR
                : StdStream.STDOUT;
            case "time" -> time = Rfc3339.parse(string());
            case "attrs" -> attrs = attrs();
            default -> string();
          }
          if (peek() == ',') {
            i++;
            continue;
          }
          break;
        }
      }
      expect('}');
      return time == null ? null : new LogEntry(time, stream, log, attrs);
    }

    private Map<String, String> attrs() {
      expect('{');
      var out = new TreeMap<String, String>();
      if (peek() != '}') {
        while (true) {
          String k = new String(string(), StandardCharsets.UTF_8);
          expect(':');
          out.put(k, new String(string(), StandardCharsets.UTF_8));
          if (peek() == ',') {
            i++;
            continue;
          }
          break;
        }
      }
      expect('}');
      return out;
    }

    private byte[] string() {
      expect('"');
      // Most strings have no escape but the log's trailing \n: copy up to the first one at once.
      int start = i;
      while (b[i] != '"' && b[i] != '\\') {
        i++;
      }
      if (b[i] == '"') {
        return java.util.Arrays.copyOfRange(b, start, i++);
      }
      var out = new ByteArrayOutputStream(i - start + 16);
      out.write(b, start, i - start);
      while (true) {
        int c = b[i++] & 0xff;
        if (c == '"') {
          return out.toByteArray();
        }
        if (c != '\\') {
          out.write(c);
          continue;
        }
        int e = b[i++];
        switch (e) {
          case 'n' -> out.write('\n');
          case 'r' -> out.write('\r');
          case 't' -> out.write('\t');
          case 'b' -> out.write('\b');
          case 'f' -> out.write('\f');
          case 'u' -> {
            int cp = hex4();
            if (Character.isHighSurrogate((char) cp) && i + 1 < b.length && b[i] == '\\' && b[i + 1] == 'u') {
              i += 2;
              int low = hex4();
              cp = Character.toCodePoint((char) cp, (char) low);
            }
            out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
          }
          default -> out.write(e);
        }
      }
    }

    private int hex4() {
      int v = Integer.parseInt(new String(b, i, 4, StandardCharsets.US_ASCII), 16);
      i += 4;
      return v;
    }

    private int peek() {
      while (i < b.length && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r')) {
        i++;
      }
      return b[i];
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalArgumentException("expected " + c);
      }
      i++;
    }
  }
}
