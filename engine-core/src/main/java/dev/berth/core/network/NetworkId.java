package dev.berth.core.network;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A network's 64-hex ID; random, never reused, as Docker's. */
public record NetworkId(String hex) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public NetworkId {
    if (hex == null || !hex.matches("[a-f0-9]{64}")) {
      throw new IllegalArgumentException("not a network id: " + hex);
    }
  }

  public static NetworkId random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return new NetworkId(HexFormat.of().formatHex(b));
  }

  public String shortId() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return hex;
  }
}
