package dev.berth.core.image;

/** One line of {@code DELETE /images/{name}}'s answer: a reference untagged or an image/layer deleted. */
public sealed interface ImageDeletion {

  record Untagged(String reference) implements ImageDeletion {}

  record Deleted(String id) implements ImageDeletion {}
}
