package dev.berth.core.image;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code docker history}, newest first.
 *
 * @param id the image ID for the top row, {@code <missing>} for steps with no image of their own
 * @param size bytes the step's layer added, 0 for empty layers
 */
public record HistoryItem(String id, Instant created, String createdBy, List<String> tags, long size, String comment) {}
