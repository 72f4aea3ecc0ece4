package dev.berth.core.image;

import dev.berth.core.error.ConflictException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference implementation of {@link ImageRepository}'s contract ({@code ImageRepositoryContract}),
 * for tests.
 */
public final class InMemoryImageRepository implements ImageRepository {

  private record Row(ImageId id, ImageConfig config, long size, Instant loaded) {}

  private final Map<ImageId, Row> images = new LinkedHashMap<>();
  private final Map<String, ImageId> refs = new LinkedHashMap<>();
  private final Map<String, Instant> refTimes = new LinkedHashMap<>();
  private final Map<ImageId, List<String>> repoDigests = new LinkedHashMap<>();
  private final Map<ChainId, Layer> layers = new LinkedHashMap<>();

  @Override
  public synchronized Optional<Image> find(ImageId id) {
    return Optional.ofNullable(images.get(id)).map(this::assemble);
  }

  @Override
  public synchronized List<Image> findByIdPrefix(String hexPrefix) {
    return images.values().stream().filter(r -> r.id().digest().hex().startsWith(hexPrefix)).map(this::assemble).toList();
  }

  @Override
  public synchronized Optional<Image> findByReference(ImageReference ref) {
    ImageId id = refs.get(ref.toString());
    if (id == null && ref.digest() != null) {
      id = repoDigests.entrySet().stream().filter(e -> e.getValue().contains(ref.toString())).map(Map.Entry::getKey)
          .findFirst().orElse(null);
    }
    return Optional.ofNullable(id).flatMap(this::find);
  }

  @Override
  public synchronized List<Image> list() {
    var all = new ArrayList<>(images.values());
    all.sort(Comparator.comparing(Row::loaded).reversed());
    return all.stream().map(this::assemble).toList();
  }

  @Override
  public synchronized void insert(ImageId id, ImageConfig config, long size, Instant loaded) {
    for (ChainId c : ChainId.chain(config.diffIds())) {
      if (!layers.containsKey(c)) {
        throw new IllegalStateException("layer not stored: " + c);
      }
    }
    images.putIfAbsent(id, new Row(id, config, size, loaded));
  }

  @Override
  public synchronized void tag(ImageReference ref, ImageId id, Instant when) {
    if (!images.containsKey(id)) {
      throw new IllegalStateException("no image " + id);
    }
    refs.put(ref.toString(), id);
    refTimes.put(ref.toString(), when);
  }

  @Override
  public synchronized boolean untag(ImageReference ref) {
    refTimes.remove(ref.toString());
    boolean digest = ref.digest() != null && repoDigests.values().stream()
        .map(l -> l.remove(ref.toString())).reduce(false, Boolean::logicalOr);
    return refs.remove(ref.toString()) != null || digest;
  }

  @Override
  public synchronized void addRepoDigest(ImageId id, String repoDigest) {
    if (!images.containsKey(id)) {
      throw new IllegalStateException("no image " + id);
    }
    var list = repoDigests.computeIfAbsent(id, k -> new ArrayList<>());
    if (!list.contains(repoDigest)) {
      list.add(repoDigest);
    }
  }

  @Override
  public synchronized void delete(ImageId id) {
    images.remove(id);
    repoDigests.remove(id);
    refs.entrySet().removeIf(e -> {
      if (e.getValue().equals(id)) {
        refTimes.remove(e.getKey());
        return true;
      }
      return false;
    });
  }

  @Override
  public synchronized Optional<Layer> findLayer(ChainId chainId) {
    return Optional.ofNullable(layers.get(chainId));
  }

  @Override
  public synchronized void insertLayer(Layer layer) {
    if (layer.parent() != null && !layers.containsKey(layer.parent())) {
      throw new IllegalStateException("parent layer not stored: " + layer.parent());
    }
    layers.putIfAbsent(layer.chainId(), layer);
  }

  @Override
  public synchronized List<Layer> unusedLayers() {
    Set<ChainId> used = new HashSet<>();
    images.values().forEach(r -> used.addAll(ChainId.chain(r.config().diffIds())));
    var unused = new ArrayList<Layer>();
    for (Layer l : layers.values()) {
      if (!used.contains(l.chainId())) {
        unused.add(l);
      }
    }
    // Children before parents: a layer's depth is its chain length.
    unused.sort(Comparator.comparingInt(this::depth).reversed());
    return unused;
  }

  @Override
  public synchronized void deleteLayer(ChainId chainId) {
    boolean listed = images.values().stream().anyMatch(r -> ChainId.chain(r.config().diffIds()).contains(chainId));
    boolean beneath = layers.values().stream().anyMatch(l -> chainId.equals(l.parent()));
    if (listed || beneath) {
      throw new ConflictException("layer " + chainId + " is in use by an image or a layer above it");
    }
    layers.remove(chainId);
  }

  private int depth(Layer l) {
    int d = 0;
    for (Layer cur = l; cur != null && cur.parent() != null; cur = layers.get(cur.parent())) {
      d++;
    }
    return d;
  }

  // Tags and repo digests sorted by their full text, as dockerd's reference store returns them.
  private Image assemble(Row r) {
    var tags = refs.entrySet().stream().filter(e -> e.getValue().equals(r.id()))
        .map(Map.Entry::getKey).sorted().map(ImageReference::parse).toList();
    Instant last = refs.entrySet().stream().filter(e -> e.getValue().equals(r.id()))
        .map(e -> refTimes.get(e.getKey())).max(Comparator.naturalOrder()).orElse(null);
    return new Image(r.id(), r.config(), r.size(), r.loaded(), tags,
        repoDigests.getOrDefault(r.id(), List.of()).stream().sorted().toList(), last);
  }
}
