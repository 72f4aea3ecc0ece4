package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.id.Hex64;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A container's ID: 64 lowercase hex digits, random, never reused. */
public record ContainerId(String hex) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public ContainerId {
    if (!Hex64.is(hex)) {
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
    return Hex64.is(s);
  }

  public String shortId() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
