package dev.berth.core.image;

import java.util.List;
import java.util.Map;

/**
 * An OCI content descriptor: what a manifest or index says about one blob.
 *
 * @param mediaType empty when the descriptor names none
 * @param size bytes the blob must have; -1 when the descriptor does not say (archives)
 * @param platform the platform an index entry is for, null if it names none
 * @param urls where foreign layers may be fetched instead of the registry; empty for ordinary blobs
 */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, Map<String, String> annotations,
    List<String> urls) {

  public Descriptor {
    annotations = Map.copyOf(annotations);
    urls = List.copyOf(urls);
  }

  /** The 12 hex digits Docker's progress lines name a blob by. */
  public String shortId() {
    return digest.shortHex();
  }
}
