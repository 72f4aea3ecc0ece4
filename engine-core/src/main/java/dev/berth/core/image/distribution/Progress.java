package dev.berth.core.image.distribution;

import dev.berth.core.image.Digest;

/**
 * What a pull or push reports as it goes, in dockerd's vocabulary ("Pulling fs layer",
 * "Downloading", "Pushed"...). The server turns these into JSON-lines messages; the wording is
 * what the docker CLI shows, so it is API.
 */
public sealed interface Progress {

  /**
   * A status line.
   *
   * @param id what it is about (a layer's short digest, a tag), or null for a line of its own
   */
  record Message(String id, String status) implements Progress {}

  /** A layer's state changed: "Pulling fs layer", "Download complete", "Pushed"... */
  record LayerStatus(String id, String status) implements Progress {}

  /** Bytes moved so far of one layer: "Downloading", "Extracting", "Pushing". */
  record Transfer(String id, String action, long current, long total) implements Progress {}

  /** The result of pushing one tag, which dockerd sends as an {@code aux} message. */
  record Pushed(String tag, Digest digest, long size) implements Progress {}
}
