package dev.berth.core.image;

import java.time.Instant;
import java.util.List;

/**
 * An image known to the engine.
 *
 * @param size bytes of all its layers' extracted content
 * @param loaded when it was first stored here; orders {@code before}/{@code since} filters
 * @param tags references that point at it, fully qualified
 * @param repoDigests {@code repository@sha256:...} strings, empty until pulled or pushed
 * @param lastTagTime when a tag was last added, null if never
 */
public record Image(
    ImageId id,
    ImageConfig config,
    long size,
    Instant loaded,
    List<ImageReference> tags,
    List<String> repoDigests,
    Instant lastTagTime) {

  public Image {
    tags = List.copyOf(tags);
    repoDigests = List.copyOf(repoDigests);
  }

  public List<ChainId> chainIds() {
    return ChainId.chain(config.diffIds());
  }

  public boolean dangling() {
    return tags.isEmpty() && repoDigests.isEmpty();
  }
}
