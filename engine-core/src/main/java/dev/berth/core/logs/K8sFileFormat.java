package dev.berth.core.logs;

import dev.berth.core.time.Rfc3339;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * conmon's k8s-file log format: one record per line, {@code <RFC3339Nano> <stdout|stderr> <F|P>
 * <text>}. conmon splits what it reads at newlines; {@code F} means the text was followed by a
 * newline (which the record's own line ending stands for), {@code P} that it was not, because the
 * read ended mid-line. The text is raw bytes and never contains a newline.
 */
final class K8sFileFormat {

  enum Tag { FULL, PARTIAL }

  private K8sFileFormat() {}

  /** Parses one record without its line ending; null if it is not one. */
  static LogEntry parse(byte[] line, int offset, int length) {
    int end = offset + length;
    int s1 = indexOf(line, (byte) ' ', offset, end);
    int s2 = s1 < 0 ? -1 : indexOf(line, (byte) ' ', s1 + 1, end);
    if (s2 < 0 || s2 + 2 > end) {
      return null;
    }
    Tag tag = tag(line, s2 + 1, end);
    if (tag == null) {
      return null;
    }
    StdStream stream = stream(line, s1 + 1, s2);
    Instant time = time(line, offset, s1);
    if (stream == null || time == null) {
      return null;
    }
    int textStart = Math.min(s2 + 3, end);
    byte[] data;
    if (tag == Tag.FULL) {
      data = Arrays.copyOfRange(line, textStart, end + 1);
      data[data.length - 1] = '\n';
    } else {
      data = Arrays.copyOfRange(line, textStart, end);
    }
    return new LogEntry(time, stream, data);
  }

  /** The F/P tag of a record, reading only its head; null if it is not a record. */
  static Tag tag(byte[] head, int length) {
    int s1 = indexOf(head, (byte) ' ', 0, length);
    int s2 = s1 < 0 ? -1 : indexOf(head, (byte) ' ', s1 + 1, length);
    return s2 < 0 ? null : tag(head, s2 + 1, length);
  }

  private static Tag tag(byte[] b, int at, int end) {
    if (at >= end || (at + 1 < end && b[at + 1] != ' ')) {
      return null;
    }
    return switch (b[at]) {
      case 'F' -> Tag.FULL;
      case 'P' -> Tag.PARTIAL;
      default -> null;
    };
  }

  private static StdStream stream(byte[] b, int from, int to) {
    if (to - from != 6 || b[from] != 's' || b[from + 1] != 't' || b[from + 2] != 'd') {
      return null;
    }
    if (b[from + 3] == 'o' && b[from + 4] == 'u' && b[from + 5] == 't') {
      return StdStream.STDOUT;
    }
    if (b[from + 3] == 'e' && b[from + 4] == 'r' && b[from + 5] == 'r') {
      return StdStream.STDERR;
    }
    return null;
  }

  /** The second a record's time began with last, and that second as epoch seconds: records come many a second. */
  private record Second(byte[] text, long epochSecond) {}

  private static Second lastSecond = new Second(new byte[19], 0);

  private static Instant time(byte[] b, int from, int to) {
    Instant fast = conmonTime(b, from, to);
    if (fast != null) {
      return fast;
    }
    try {
      String text = new String(b, from, to - from, StandardCharsets.US_ASCII);
      return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * The form conmon writes, {@code 2026-12-07T04:14:57.283586976+00:00} (9 fraction digits, an
   * offset), read without the general parser, which cost the pump more than the rest of a record;
   * null for any other form.
   */
  static Instant conmonTime(byte[] b, int from, int to) {
    if (to - from != 35 || b[from + 19] != '.' || (b[from + 29] != '+' && b[from + 29] != '-')
        || b[from + 32] != ':') {
      return null;
    }
    int nanos = Rfc3339.digits(b, from + 20, 9);
    int offHours = Rfc3339.digits(b, from + 30, 2);
    int offMinutes = Rfc3339.digits(b, from + 33, 2);
    if (nanos < 0 || offHours < 0 || offHours > 18 || offMinutes < 0 || offMinutes > 59) {
      return null;
    }
    Second last = lastSecond;
    long local;
    if (Arrays.equals(last.text(), 0, 19, b, from, from + 19)) {
      local = last.epochSecond();
    } else {
      long parsed = Rfc3339.localSecond(b, from);
      if (parsed == Long.MIN_VALUE) {
        return null;
      }
      local = parsed;
      lastSecond = new Second(Arrays.copyOfRange(b, from, from + 19), local);
    }
    long offset = (offHours * 3_600L + offMinutes * 60L) * (b[from + 29] == '-' ? -1 : 1);
    return Instant.ofEpochSecond(local - offset, nanos);
  }

  static int indexOf(byte[] b, byte value, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }
}
