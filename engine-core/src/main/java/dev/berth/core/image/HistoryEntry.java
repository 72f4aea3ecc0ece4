package dev.berth.core.image;

import java.time.Instant;

/** One step of an image's history. {@code emptyLayer} steps changed only the config. */
public record HistoryEntry(Instant created, String createdBy, String author, String comment, boolean emptyLayer) {

  public HistoryEntry {
    createdBy = createdBy == null ? "" : createdBy;
    author = author == null ? "" : author;
    comment = comment == null ? "" : comment;
  }
}
