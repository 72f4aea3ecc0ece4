package dev.berth.core.image.distribution;

import dev.berth.core.image.Digest;
import dev.berth.core.image.Platform;
import java.util.List;

/**
 * What a registry holds under a reference: the descriptor of its manifest (or index) and the
 * platforms it serves, as {@code GET /distribution/{name}/json} reports them.
 */
public record Distribution(String mediaType, Digest digest, long size, List<Platform> platforms) {

  public Distribution {
    platforms = List.copyOf(platforms);
  }
}
