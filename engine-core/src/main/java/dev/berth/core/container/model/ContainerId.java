package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A container's ID: 64 lowercase hex digits, random, never reused. */
public record ContainerId(String hex) {

  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  public ContainerId {
    if (hex == null || !HEX64.matcher(hex).matches()) {
      throw new InvalidArgumentException("invalid container ID: " + hex);
    }
  }

  public static ContainerId random() {
    byte[] b = new byte[32];
    while (true) {
      RANDOM.nextBytes(b);
      String hex = HexFormat.of().formatHex(b);
      // Docker avoids all-digit short IDs: they read as numbers and break `docker ps` parsing.
      if (!hex.substring(0, 12).chars().allMatch(Character::isDigit)) {
        return new ContainerId(hex);
      }
    }
  }

  public static boolean isHex64(String s) {
    return s != null && HEX64.matcher(s).matches();
  }

  public String shortId() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
