package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * The key sequence that detaches a client from a container without stopping it (default
 * ctrl-p,ctrl-q), in dockerd's notation: comma-separated {@code ctrl-<key>} or single characters.
 */
public record DetachKeys(byte[] sequence) {

  public static final DetachKeys DEFAULT = parse("ctrl-p,ctrl-q");

  /** @throws InvalidArgumentException {@code Invalid detach keys (x) provided} */
  public static DetachKeys parse(String spec) {
    var out = new ByteArrayOutputStream();
    for (String key : spec.split(",")) {
      String k = key.trim();
      if (k.length() == 1) {
        out.write(k.charAt(0));
        continue;
      }
      String lower = k.toLowerCase(Locale.ROOT);
      if (!lower.startsWith("ctrl-") || lower.length() != 6) {
        throw invalid(spec);
      }
      char c = lower.charAt(5);
      if (c >= 'a' && c <= 'z') {
        out.write(c - 'a' + 1);
      } else {
        int code = switch (c) {
          case '@' -> 0;
          case '[' -> 27;
          case '\\' -> 28;
          case ']' -> 29;
          case '^' -> 30;
          case '_' -> 31;
          default -> throw invalid(spec);
        };
        out.write(code);
      }
    }
    if (out.size() == 0) {
      throw invalid(spec);
    }
    return new DetachKeys(out.toByteArray());
  }

  private static InvalidArgumentException invalid(String spec) {
    return new InvalidArgumentException("Invalid detach keys (" + spec + ") provided");
  }

  /**
   * Watches a stream of input for the sequence. Bytes that might begin it are held back until
   * they prove not to, so a detach never leaks its keys into the container.
   */
  public final class Scanner {
    private int matched;

    /**
     * Feeds input; writes what may go on to {@code forward}. True once the whole sequence was
     * typed (input after it is dropped).
     */
    public boolean feed(byte[] data, int off, int len, ByteArrayOutputStream forward) {
      for (int i = off; i < off + len; i++) {
        byte b = data[i];
        if (b == sequence[matched]) {
          matched++;
          if (matched == sequence.length) {
            return true;
          }
          continue;
        }
        // The held-back prefix was ordinary input after all.
        forward.write(sequence, 0, matched);
        matched = 0;
        if (b == sequence[0]) {
          matched = 1;
          if (sequence.length == 1) {
            return true;
          }
        } else {
          forward.write(b);
        }
      }
      return false;
    }
  }

  public Scanner scanner() {
    return new Scanner();
  }
}
