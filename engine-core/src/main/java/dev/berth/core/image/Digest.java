package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.id.Hex64;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A sha256 content digest. Only sha256 is used by Docker image IDs, layers and manifests. */
public record Digest(String hex) implements Comparable<Digest> {

  public static final String ALGORITHM = "sha256";

  public Digest {
    if (!Hex64.is(hex)) {
      throw new InvalidArgumentException("invalid digest: " + hex);
    }
  }

  /** Parses {@code sha256:<64 hex>}. */
  public static Digest parse(String s) {
    if (s == null || !s.startsWith(ALGORITHM + ":")) {
      throw new InvalidArgumentException("invalid digest: " + s);
    }
    return new Digest(s.substring(ALGORITHM.length() + 1));
  }

  public static boolean isDigest(String s) {
    return s != null && s.startsWith(ALGORITHM + ":") && Hex64.isFrom(s, ALGORITHM.length() + 1);
  }

  public static boolean isHex64(String s) {
    return Hex64.is(s);
  }

  public static Digest of(byte[] content) {
    return new Digest(HexFormat.of().formatHex(sha256().digest(content)));
  }

  public static Digest of(MessageDigest finished) {
    return new Digest(HexFormat.of().formatHex(finished.digest()));
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** The first 12 hex digits, as Docker shows IDs. */
  public String shortHex() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return ALGORITHM + ":" + hex;
  }

  @Override
  public int compareTo(Digest o) {
    return hex.compareTo(o.hex);
  }
}
