package dev.berth.core.image;

import java.time.Instant;
import java.util.List;

/**
 * An image config (OCI image spec "config", Docker's image JSON), parsed. The exact bytes it came
 * from are kept in the blob store under the image ID, since the ID is their digest.
 *
 * @param created null when the image config has none
 * @param diffIds uncompressed digests of the layers, bottom first
 */
public record ImageConfig(
    String architecture,
    String os,
    String variant,
    Instant created,
    String author,
    String comment,
    String dockerVersion,
    ImageRunConfig config,
    List<Digest> diffIds,
    List<HistoryEntry> history) {

  public ImageConfig {
    architecture = architecture == null ? "" : architecture;
    os = os == null ? "" : os;
    variant = variant == null ? "" : variant;
    author = author == null ? "" : author;
    comment = comment == null ? "" : comment;
    dockerVersion = dockerVersion == null ? "" : dockerVersion;
    config = config == null ? ImageRunConfig.EMPTY : config;
    diffIds = List.copyOf(diffIds);
    history = history == null ? List.of() : List.copyOf(history);
  }
}
