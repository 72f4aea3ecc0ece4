package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.ConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ImageRepository} must do. Subclasses supply a fresh, empty repository; the
 * in-memory fake and the SQLite repository both run it.
 *
 * <p>Beyond the interface's documentation it pins down: tags and repo digests come back sorted
 * (as dockerd sorts them); tagging or adding a repo digest to an image that is not stored, and
 * storing a layer whose parent is not stored, are caller bugs ({@link IllegalStateException});
 * deleting a layer that an image or another layer still uses is a {@link ConflictException}.
 */
public abstract class ImageRepositoryContract {

  protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");
  protected static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  private static final Digest D1 = digest("layer one");
  private static final Digest D2 = digest("layer two");
  private static final Digest D3 = digest("layer three");
  private static final Digest D4 = digest("layer four");

  private ImageRepository repo;

  /** A new repository with no images or layers in it. */
  protected abstract ImageRepository newRepository();

  @BeforeEach
  void createRepository() {
    repo = newRepository();
  }

  @Test
  void insertedImageIsFound() {
    storeLayers(D1, D2);
    ImageConfig config = config(D1, D2);
    ImageId id = imageId("a");

    repo.insert(id, config, 1234, T0);

    Image image = repo.find(id).orElseThrow();
    assertEquals(id, image.id());
    assertEquals(config, image.config());
    assertEquals(1234, image.size());
    assertEquals(T0, image.loaded());
    assertEquals(List.of(), image.tags());
    assertEquals(List.of(), image.repoDigests());
    assertNull(image.lastTagTime());
    assertTrue(image.dangling());
    assertEquals(ChainId.chain(List.of(D1, D2)), image.chainIds());
  }

  @Test
  void missingImageIsEmpty() {
    assertEquals(Optional.empty(), repo.find(imageId("nope")));
    assertEquals(Optional.empty(), repo.findByReference(ref("busybox")));
    assertEquals(List.of(), repo.list());
  }

  @Test
  void imageWithoutLayersIsStored() {
    ImageId id = imageId("scratch");
    repo.insert(id, config(), 0, T0);

    assertEquals(config(), repo.find(id).orElseThrow().config());
  }

  @Test
  void insertNeedsItsLayersStored() {
    storeLayers(D1);

    assertThrows(IllegalStateException.class, () -> repo.insert(imageId("a"), config(D1, D2), 1, T0));
    assertEquals(Optional.empty(), repo.find(imageId("a")));
  }

  @Test
  void insertingAKnownIdChangesNothing() {
    storeLayers(D1, D2);
    ImageId id = imageId("a");
    repo.insert(id, config(D1), 10, T0);

    repo.insert(id, config(D1, D2), 20, T0.plusSeconds(5));

    Image image = repo.find(id).orElseThrow();
    assertEquals(config(D1), image.config());
    assertEquals(10, image.size());
    assertEquals(T0, image.loaded());
    // Its layer list is still the first one: only D1's chain is in use.
    assertEquals(List.of(ChainId.chain(List.of(D1, D2)).get(1)), chainIds(repo.unusedLayers()));
  }

  @Test
  void configNullsAndEmptiesRoundTrip() {
    var unset = new ImageRunConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, false);
    var empty = new ImageRunConfig("", Set.of(), List.of(), List.of(), List.of(), Set.of(), "", Map.of(), "", 0,
        new Healthcheck(null, 0, 0, 0, 0, 0), List.of(), List.of(), false);
    var full = new ImageRunConfig("nobody", Set.of("80/tcp"), List.of("PATH=/usr/bin", "X=a=b"), List.of("/entry"),
        List.of("run", "ünïcode"), Set.of("/data"), "/srv", Map.of("org.opencontainers.image.title", "app"), "SIGQUIT", 30,
        new Healthcheck(List.of("CMD", "true"), 1_000_000_000L, 2, 3, 4, 5), List.of("RUN x"), List.of("/bin/sh", "-c"), true);
    var history = List.of(
        new HistoryEntry(Instant.parse("2024-01-01T00:00:00.000000001Z"), "/bin/sh -c #(nop) ADD file:x in /", null, null, false),
        new HistoryEntry(null, "CMD [\"sh\"]", "me", "note", true));
    var configs = List.of(
        new ImageConfig("amd64", "linux", null, null, null, null, null, unset, List.of(), null),
        new ImageConfig("arm64", "linux", "v8", T0, "me", "c", "27.0.1", empty, List.of(), history),
        new ImageConfig("amd64", "linux", "", Instant.parse("0001-01-01T00:00:00Z"), "", "", "", full, List.of(), List.of()));

    for (int i = 0; i < configs.size(); i++) {
      repo.insert(imageId("img" + i), configs.get(i), i, T0.plusSeconds(i));
    }

    for (int i = 0; i < configs.size(); i++) {
      assertEquals(configs.get(i), repo.find(imageId("img" + i)).orElseThrow().config());
    }
    ImageRunConfig read = repo.find(imageId("img0")).orElseThrow().config().config();
    assertNull(read.cmd());
    assertNull(read.entrypoint());
    assertNull(read.healthcheck());
    assertNull(read.stopTimeout());
    assertEquals(List.of(), repo.find(imageId("img1")).orElseThrow().config().config().cmd());
  }

  @Test
  void findsByIdPrefix() {
    var a = new ImageId(new Digest("abc1" + "0".repeat(60)));
    var b = new ImageId(new Digest("abc2" + "0".repeat(60)));
    var d = new ImageId(new Digest("abd" + "0".repeat(61)));
    for (ImageId id : List.of(a, b, d)) {
      repo.insert(id, config(), 0, T0);
    }

    assertEquals(Set.of(a, b), ids(repo.findByIdPrefix("abc")));
    assertEquals(Set.of(a), ids(repo.findByIdPrefix("abc1")));
    assertEquals(Set.of(d), ids(repo.findByIdPrefix(d.digest().hex())));
    assertEquals(Set.of(a, b, d), ids(repo.findByIdPrefix("")));
    assertEquals(Set.of(), ids(repo.findByIdPrefix("abe")));
    assertEquals(Set.of(), ids(repo.findByIdPrefix("ABC")));
    assertEquals(Set.of(), ids(repo.findByIdPrefix("sha256:abc")));
  }

  @Test
  void listsMostRecentlyLoadedFirst() {
    repo.insert(imageId("b"), config(), 0, T0.plusNanos(1));
    repo.insert(imageId("c"), config(), 0, T0.plusNanos(2));
    repo.insert(imageId("a"), config(), 0, T0);

    assertEquals(List.of(imageId("c"), imageId("b"), imageId("a")), repo.list().stream().map(Image::id).toList());
  }

  @Test
  void tagPointsAReferenceAtAnImage() {
    ImageId id = imageId("a");
    repo.insert(id, config(), 0, T0);

    repo.tag(ref("busybox:latest"), id, T0.plusSeconds(1));
    repo.tag(ref("app:1"), id, T0.plusSeconds(2));

    Image image = repo.findByReference(ref("busybox:latest")).orElseThrow();
    assertEquals(id, image.id());
    assertEquals(List.of(ref("app:1"), ref("busybox:latest")), image.tags(), "sorted by full reference");
    assertEquals(T0.plusSeconds(2), image.lastTagTime());
    assertFalse(image.dangling());
    assertEquals(Optional.empty(), repo.findByReference(ref("busybox:1.36")));
  }

  @Test
  void tagMovesBetweenImages() {
    ImageId a = imageId("a");
    ImageId b = imageId("b");
    repo.insert(a, config(), 0, T0);
    repo.insert(b, config(), 0, T0);
    repo.tag(ref("app:latest"), a, T0.plusSeconds(1));

    repo.tag(ref("app:latest"), b, T0.plusSeconds(2));

    assertEquals(b, repo.findByReference(ref("app:latest")).orElseThrow().id());
    Image old = repo.find(a).orElseThrow();
    assertEquals(List.of(), old.tags());
    assertNull(old.lastTagTime());
    assertTrue(old.dangling());
    assertEquals(List.of(ref("app:latest")), repo.find(b).orElseThrow().tags());
    assertEquals(T0.plusSeconds(2), repo.find(b).orElseThrow().lastTagTime());
  }

  @Test
  void retaggingTheSameImageUpdatesTheTime() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    repo.tag(ref("app:latest"), a, T0.plusSeconds(1));

    repo.tag(ref("app:latest"), a, T0.plusSeconds(9));

    assertEquals(List.of(ref("app:latest")), repo.find(a).orElseThrow().tags());
    assertEquals(T0.plusSeconds(9), repo.find(a).orElseThrow().lastTagTime());
  }

  @Test
  void tagsAreFullyQualified() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    repo.tag(ImageReference.parse("localhost:5000/team/app:v1"), a, T0);

    Image image = repo.findByReference(ImageReference.parse("localhost:5000/team/app:v1")).orElseThrow();
    assertEquals(List.of(ImageReference.parse("localhost:5000/team/app:v1")), image.tags());
    assertEquals("localhost:5000/team/app:v1", image.tags().getFirst().toString());
  }

  @Test
  void untagRemovesOneReference() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    repo.tag(ref("app:1"), a, T0);
    repo.tag(ref("app:2"), a, T0.plusSeconds(1));

    assertTrue(repo.untag(ref("app:2")));
    assertFalse(repo.untag(ref("app:2")));
    assertFalse(repo.untag(ref("never:tagged")));

    assertEquals(Optional.empty(), repo.findByReference(ref("app:2")));
    assertEquals(List.of(ref("app:1")), repo.find(a).orElseThrow().tags());
    assertEquals(T0, repo.find(a).orElseThrow().lastTagTime());
  }

  @Test
  void digestReferencesTagAndUntagLikeTags() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    ImageReference byDigest = ref("busybox").withDigest(digest("manifest"));

    repo.tag(byDigest, a, T0);

    assertEquals(a, repo.findByReference(byDigest).orElseThrow().id());
    assertTrue(repo.untag(byDigest));
    assertEquals(Optional.empty(), repo.findByReference(byDigest));
  }

  @Test
  void taggingAMissingImageIsABug() {
    assertThrows(IllegalStateException.class, () -> repo.tag(ref("app:1"), imageId("nope"), T0));
    assertEquals(Optional.empty(), repo.findByReference(ref("app:1")));
  }

  @Test
  void repoDigestsAreKeptOnceAndSorted() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    String second = "docker.io/library/busybox@sha256:" + digest("m2").hex();
    String first = "docker.io/library/alpine@sha256:" + digest("m1").hex();

    repo.addRepoDigest(a, second);
    repo.addRepoDigest(a, first);
    repo.addRepoDigest(a, second);

    Image image = repo.find(a).orElseThrow();
    assertEquals(List.of(first, second), image.repoDigests());
    assertFalse(image.dangling(), "an image with a repo digest is not dangling");
    assertEquals(List.of(), image.tags());
  }

  @Test
  void repoDigestsResolveAndUntagLikeDigestReferences() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    ImageReference byDigest = ref("127.0.0.1:5000/app").withDigest(digest("manifest"));
    repo.addRepoDigest(a, byDigest.toString());

    assertEquals(a, repo.findByReference(byDigest).orElseThrow().id());
    assertTrue(repo.untag(byDigest));
    assertEquals(Optional.empty(), repo.findByReference(byDigest));
    assertEquals(List.of(), repo.find(a).orElseThrow().repoDigests());
    assertFalse(repo.untag(byDigest));
  }

  @Test
  void repoDigestForAMissingImageIsABug() {
    assertThrows(IllegalStateException.class,
        () -> repo.addRepoDigest(imageId("nope"), "docker.io/library/busybox@sha256:" + digest("m").hex()));
  }

  @Test
  void deleteRemovesTheImageAndItsReferencesButNotItsLayers() {
    storeLayers(D1, D2);
    ImageId a = imageId("a");
    repo.insert(a, config(D1, D2), 0, T0);
    repo.tag(ref("app:1"), a, T0);
    repo.addRepoDigest(a, "docker.io/library/app@sha256:" + digest("m").hex());

    repo.delete(a);

    assertEquals(Optional.empty(), repo.find(a));
    assertEquals(Optional.empty(), repo.findByReference(ref("app:1")));
    assertEquals(List.of(), repo.list());
    for (ChainId c : ChainId.chain(List.of(D1, D2))) {
      assertTrue(repo.findLayer(c).isPresent());
    }
    assertEquals(Set.copyOf(ChainId.chain(List.of(D1, D2))), Set.copyOf(chainIds(repo.unusedLayers())));
  }

  @Test
  void deletedImageLeavesNothingBehind() {
    ImageId a = imageId("a");
    repo.insert(a, config(), 0, T0);
    repo.tag(ref("app:1"), a, T0);
    repo.addRepoDigest(a, "docker.io/library/app@sha256:" + digest("m").hex());
    repo.delete(a);

    repo.insert(a, config(), 0, T0.plusSeconds(1));

    Image again = repo.find(a).orElseThrow();
    assertEquals(List.of(), again.tags());
    assertEquals(List.of(), again.repoDigests());
    assertNull(again.lastTagTime());
  }

  @Test
  void deletingAMissingImageDoesNothing() {
    repo.insert(imageId("a"), config(), 0, T0);

    repo.delete(imageId("nope"));

    assertEquals(1, repo.list().size());
  }

  @Test
  void layersAreStoredOnce() {
    Layer base = layer(null, D1, 100);
    repo.insertLayer(base);

    repo.insertLayer(new Layer(base.chainId(), D1, null, 999, digest("other blob"), "other"));

    assertEquals(Optional.of(base), repo.findLayer(base.chainId()));
    assertEquals(Optional.empty(), repo.findLayer(ChainId.of(null, D2)));
  }

  @Test
  void layerFieldsRoundTrip() {
    Layer base = layer(null, D1, 0);
    Layer child = layer(base.chainId(), D2, Long.MAX_VALUE);
    Layer unknownBlob = new Layer(ChainId.of(child.chainId(), D3), D3, child.chainId(), 5, null, null);
    repo.insertLayer(base);
    repo.insertLayer(child);
    repo.insertLayer(unknownBlob);

    assertEquals(Optional.of(base), repo.findLayer(base.chainId()));
    assertEquals(Optional.of(child), repo.findLayer(child.chainId()));
    assertEquals(Optional.of(unknownBlob), repo.findLayer(unknownBlob.chainId()));
  }

  @Test
  void layerNeedsItsParentStored() {
    Layer orphan = layer(ChainId.of(null, D1), D2, 1);

    assertThrows(IllegalStateException.class, () -> repo.insertLayer(orphan));
    assertEquals(Optional.empty(), repo.findLayer(orphan.chainId()));
  }

  @Test
  void unusedLayersComeChildrenFirst() {
    storeLayers(D1, D2, D3);   // image a
    storeLayers(D1, D4);       // image b shares the base
    storeLayers(D4, D3, D2);   // no image at all
    repo.insert(imageId("a"), config(D1, D2, D3), 0, T0);
    repo.insert(imageId("b"), config(D1, D4), 0, T0);
    List<ChainId> orphans = ChainId.chain(List.of(D4, D3, D2));

    assertUnusedInOrder(Set.copyOf(orphans));

    repo.delete(imageId("a"));

    List<ChainId> aOnly = ChainId.chain(List.of(D1, D2, D3)).subList(1, 3);
    var expected = new HashSet<>(orphans);
    expected.addAll(aOnly);
    assertUnusedInOrder(expected);

    repo.delete(imageId("b"));

    var all = new HashSet<>(expected);
    all.addAll(ChainId.chain(List.of(D1, D4)));
    assertUnusedInOrder(all);
  }

  @Test
  void unusedLayersCanBeDeletedInTheOrderGiven() {
    storeLayers(D1, D2, D3);
    storeLayers(D1, D4);
    repo.insert(imageId("b"), config(D1, D4), 0, T0);

    for (Layer l : repo.unusedLayers()) {
      repo.deleteLayer(l.chainId());
    }

    assertEquals(List.of(), repo.unusedLayers());
    assertTrue(repo.findLayer(ChainId.of(null, D1)).isPresent());
    assertEquals(Optional.empty(), repo.findLayer(ChainId.chain(List.of(D1, D2)).get(1)));
  }

  @Test
  void deletingALayerInUseIsAConflict() {
    storeLayers(D1, D2);
    repo.insert(imageId("a"), config(D1), 0, T0);
    List<ChainId> chain = ChainId.chain(List.of(D1, D2));

    assertThrows(ConflictException.class, () -> repo.deleteLayer(chain.get(0)), "an image lists it");
    repo.delete(imageId("a"));
    assertThrows(ConflictException.class, () -> repo.deleteLayer(chain.get(0)), "a layer above needs it");

    repo.deleteLayer(chain.get(1));
    repo.deleteLayer(chain.get(0));
    assertEquals(List.of(), repo.unusedLayers());
  }

  @Test
  void deletingAMissingLayerDoesNothing() {
    storeLayers(D1);

    repo.deleteLayer(ChainId.of(null, D2));

    assertTrue(repo.findLayer(ChainId.of(null, D1)).isPresent());
  }

  // ---- helpers

  private void assertUnusedInOrder(Set<ChainId> expected) {
    List<Layer> unused = repo.unusedLayers();
    assertEquals(expected.size(), unused.size(), "no duplicates");
    assertEquals(expected, Set.copyOf(chainIds(unused)));
    for (int i = 0; i < unused.size(); i++) {
      for (int j = i + 1; j < unused.size(); j++) {
        assertFalse(isBeneath(unused.get(i), unused.get(j)),
            unused.get(i).chainId() + " is listed before " + unused.get(j).chainId() + ", which it lies beneath");
      }
    }
  }

  /** True if {@code lower} lies somewhere beneath {@code upper} in its chain. */
  private boolean isBeneath(Layer lower, Layer upper) {
    for (ChainId p = upper.parent(); p != null; p = repo.findLayer(p).map(Layer::parent).orElse(null)) {
      if (p.equals(lower.chainId())) {
        return true;
      }
    }
    return false;
  }

  /** Stores the layers of a chain bottom first, as a pull does. */
  protected void storeLayers(Digest... diffIds) {
    ChainId parent = null;
    for (Digest d : diffIds) {
      Layer l = layer(parent, d, 100);
      repo.insertLayer(l);
      parent = l.chainId();
    }
  }

  protected static Layer layer(ChainId parent, Digest diffId, long size) {
    return new Layer(ChainId.of(parent, diffId), diffId, parent, size, digest("blob of " + diffId), LAYER_MEDIA_TYPE);
  }

  protected static ImageConfig config(Digest... diffIds) {
    return new ImageConfig("amd64", "linux", "", T0, "", "", "", ImageRunConfig.EMPTY, List.of(diffIds), List.of());
  }

  protected static ImageId imageId(String seed) {
    return new ImageId(digest("image " + seed));
  }

  protected static Digest digest(String seed) {
    return Digest.of(seed.getBytes(StandardCharsets.UTF_8));
  }

  protected static ImageReference ref(String s) {
    return ImageReference.parse(s).withDefaultTag();
  }

  private static List<ChainId> chainIds(List<Layer> layers) {
    return layers.stream().map(Layer::chainId).toList();
  }

  private static Set<ImageId> ids(List<Image> images) {
    return Set.copyOf(images.stream().map(Image::id).toList());
  }
}
