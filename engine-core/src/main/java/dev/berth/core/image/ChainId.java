package dev.berth.core.image;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Identifies a layer together with everything beneath it (OCI image spec, "ChainID"):
 * {@code chain(L0) = diffId(L0)}, {@code chain(Ln) = sha256(chain(Ln-1) + " " + diffId(Ln))}.
 * Extracted layers are keyed by it, so two images sharing a base share its directories.
 */
public record ChainId(Digest digest) {

  public static ChainId of(ChainId parent, Digest diffId) {
    if (parent == null) {
      return new ChainId(diffId);
    }
    String s = parent.digest + " " + diffId;
    return new ChainId(Digest.of(s.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The chain IDs of every layer of an image, bottom first. */
  public static List<ChainId> chain(List<Digest> diffIds) {
    var out = new java.util.ArrayList<ChainId>(diffIds.size());
    ChainId parent = null;
    for (Digest d : diffIds) {
      parent = of(parent, d);
      out.add(parent);
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return digest.toString();
  }
}
