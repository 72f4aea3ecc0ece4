package dev.berth.core.image;

import java.util.List;
import java.util.Optional;

/**
 * Image metadata: which images exist, which references point at them, and which layers each is
 * made of. A reference points at exactly one image; an image's layers are fixed when it is
 * inserted.
 */
public interface ImageRepository {

  Optional<Image> find(ImageId id);

  /** Images whose ID hex starts with {@code hexPrefix}. */
  List<Image> findByIdPrefix(String hexPrefix);

  Optional<Image> findByReference(ImageReference ref);

  /** All images, most recently loaded first. */
  List<Image> list();

  /** Stores an image and its layer list; a no-op if the ID exists. Layers must exist. */
  void insert(ImageId id, ImageConfig config, long size, java.time.Instant loaded);

  /** Points {@code ref} at {@code id}, moving it off any other image. */
  void tag(ImageReference ref, ImageId id, java.time.Instant when);

  /** Removes a tag or digest reference; false if it did not exist. */
  boolean untag(ImageReference ref);

  void addRepoDigest(ImageId id, String repoDigest);

  /** Removes the image row, its references and its layer list (not the layers). */
  void delete(ImageId id);

  Optional<Layer> findLayer(ChainId chainId);

  /** Records an extracted layer; a no-op if it exists. */
  void insertLayer(Layer layer);

  /** Layers that no image lists, top of each chain first so they can be removed in order. */
  List<Layer> unusedLayers();

  void deleteLayer(ChainId chainId);
}
