package dev.berth.core.volume;

import dev.berth.core.error.InvalidArgumentException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A volume's name: dockerd's restricted name pattern, so it is always a single path component
 * that cannot be {@code .}, {@code ..} or hidden, and {@code <volumes>/<name>} never leaves the
 * volumes directory.
 */
public record VolumeName(String value) {

  /** moby's names.RestrictedNameChars. */
  static final String ALLOWED = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
  private static final Pattern PATTERN = Pattern.compile("^" + ALLOWED + "+$");

  /** @throws InvalidArgumentException with the local driver's wording, prefixed by moby's {@code create <name>: } */
  public VolumeName {
    if (value == null || value.isEmpty()) {
      throw new InvalidArgumentException("volume name cannot be empty");
    }
    if (value.length() == 1) {
      throw new InvalidArgumentException("create " + value
          + ": volume name is too short, names should be at least two alphanumeric characters");
    }
    if (!PATTERN.matcher(value).matches()) {
      throw new InvalidArgumentException("create " + value + ": \"" + value
          + "\" includes invalid characters for a local volume name, only \"" + ALLOWED
          + "\" are allowed. If you intended to pass a host directory, use absolute path");
    }
  }

  /** A name for an anonymous volume: 64 hex digits, as dockerd's stringid.GenerateRandomID. */
  public static VolumeName random(RandomGenerator random) {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return new VolumeName(HexFormat.of().formatHex(b));
  }

  @Override
  public String toString() {
    return value;
  }
}
