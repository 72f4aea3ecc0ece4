package dev.berth.server.api;

import dev.berth.core.error.InvalidArgumentException;

/**
 * A Docker API version. Parsed once per request from the path prefix; behaviour that differs by
 * version is decided in translators by comparing these, never by comparing strings.
 */
public record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

  public static final ApiVersion MIN = new ApiVersion(1, 24);
  public static final ApiVersion CURRENT = new ApiVersion(1, 51);

  /** Parses {@code 1.51}; versions outside MIN..CURRENT are refused with dockerd's messages. */
  public static ApiVersion parse(String s) {
    String[] parts = s.split("\\.");
    ApiVersion v;
    try {
      if (parts.length != 2) {
        throw new NumberFormatException(s);
      }
      v = new ApiVersion(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("invalid API version: " + s);
    }
    if (v.compareTo(MIN) < 0) {
      throw new InvalidArgumentException("client version " + s + " is too old. Minimum supported API version is "
          + MIN + ", please upgrade your client to a newer version");
    }
    if (v.compareTo(CURRENT) > 0) {
      throw new InvalidArgumentException("client version " + s + " is too new. Maximum supported API version is "
          + CURRENT);
    }
    return v;
  }

  public boolean atLeast(int maj, int min) {
    return compareTo(new ApiVersion(maj, min)) >= 0;
  }

  @Override
  public int compareTo(ApiVersion o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + "." + minor;
  }
}
