package dev.berth.core.image;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/** Delegates to another repository, counting layer inserts (each one is an extraction). */
final class CountingRepository implements ImageRepository {

  private final ImageRepository d;
  private final AtomicInteger layerInserts;

  CountingRepository(ImageRepository delegate, AtomicInteger layerInserts) {
    this.d = delegate;
    this.layerInserts = layerInserts;
  }

  public Optional<Image> find(ImageId id) {
    return d.find(id);
  }

  public List<Image> findByIdPrefix(String hexPrefix) {
    return d.findByIdPrefix(hexPrefix);
  }

  public Optional<Image> findByReference(ImageReference ref) {
    return d.findByReference(ref);
  }

  public List<Image> list() {
    return d.list();
  }

  public void insert(ImageId id, ImageConfig config, long size, Instant loaded) {
    d.insert(id, config, size, loaded);
  }

  public void tag(ImageReference ref, ImageId id, Instant when) {
    d.tag(ref, id, when);
  }

  public boolean untag(ImageReference ref) {
    return d.untag(ref);
  }

  public void addRepoDigest(ImageId id, String repoDigest) {
    d.addRepoDigest(id, repoDigest);
  }

  public void delete(ImageId id) {
    d.delete(id);
  }

  public Optional<Layer> findLayer(ChainId chainId) {
    return d.findLayer(chainId);
  }

  public void insertLayer(Layer layer) {
    layerInserts.incrementAndGet();
    d.insertLayer(layer);
  }

  public List<Layer> unusedLayers() {
    return d.unusedLayers();
  }

  public void deleteLayer(ChainId chainId) {
    d.deleteLayer(chainId);
  }
}
