package dev.berth.core.network;

import dev.berth.core.id.Hex64;
import java.security.SecureRandom;
import java.util.HexFormat;

/** A network's 64-hex ID; random, never reused, as Docker's. */
public record NetworkId(String hex) {

  private static final SecureRandom RANDOM = new SecureRandom();

  public NetworkId {
    if (!Hex64.is(hex)) {
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
