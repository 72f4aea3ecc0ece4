package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.prune.PruneFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commit (a layer on top of an image), image prune and the image side of system df. */
class ImageCommitPruneTest {

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
  }

  private ImageService.CommitInfo info(List<String> changes, ImageReference tag) {
    return new ImageService.CommitInfo(f.images.find("busybox").config().config(), changes, "me", "msg", "sh -c x",
        tag);
  }

  @Test
  void commitAddsOneLayerAndAHistoryStep() {
    ImageId base = f.loadBusybox("busybox:latest");
    byte[] layer = new TarBuilder().dir("app").file("app/hello.txt", "hi\n").build();
    ImageId id = f.images.commit(base, out -> out.write(layer), info(List.of("CMD [\"cat\", \"/app/hello.txt\"]",
        "LABEL a=b"), ImageReference.parse("mine:1")));

    Image img = f.images.find("mine:1");
    assertEquals(id, img.id());
    assertEquals(2, img.config().diffIds().size());
    assertEquals(Digest.of(layer), img.config().diffIds().getLast());
    assertEquals(List.of("cat", "/app/hello.txt"), img.config().config().cmd());
    assertEquals(Map.of("a", "b"), img.config().config().labels());
    HistoryEntry last = img.config().history().getLast();
    assertEquals("sh -c x", last.createdBy());
    assertEquals("me", last.author());
    assertEquals("msg", last.comment());
    assertFalse(last.emptyLayer());
    assertEquals(f.images.find("busybox").size() + 3, img.size());
    assertTrue(Files.exists(f.images.layerDirs(id).getFirst().resolve("app/hello.txt")));
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void anEmptyDiffAddsNoLayer() {
    ImageId base = f.loadBusybox("busybox:latest");
    byte[] empty = new byte[1024];
    ImageId id = f.images.commit(base, out -> out.write(empty), info(List.of(), null));
    Image img = f.images.find(id.toString());
    assertEquals(1, img.config().diffIds().size());
    assertTrue(img.config().history().getLast().emptyLayer());
    assertTrue(img.dangling());
  }

  @Test
  void pruneRemovesDanglingImagesOrAllUnusedAndCountsTheirLayers() {
    ImageId base = f.loadBusybox("busybox:latest");
    byte[] layer = new TarBuilder().file("x.txt", "12345").build();
    ImageId dangling = f.images.commit(base, out -> out.write(layer), info(List.of(), null));
    ImageId tagged = f.loadMultiLayer("multi:1");
    f.usage.add(base, "c".repeat(64), false);

    var first = f.images.prune(true, PruneFilter.NONE);
    assertTrue(first.deleted().contains(new ImageDeletion.Deleted(dangling.toString())), first.toString());
    assertEquals(5, first.spaceReclaimed(), "the committed layer's bytes");
    assertEquals(2, f.images.list(ImageFilter.NONE).size());

    var all = f.images.prune(false, PruneFilter.NONE);
    assertTrue(all.deleted().contains(new ImageDeletion.Untagged("multi:1")));
    assertTrue(all.deleted().contains(new ImageDeletion.Deleted(tagged.toString())));
    assertEquals(List.of(base), f.images.list(ImageFilter.NONE).stream().map(Image::id).toList(),
        "an image a container uses stays");
  }

  @Test
  void pruneHonoursLabelsAndUntil() {
    f.loadBusybox("busybox:latest");
    var filter = new PruneFilter(List.of("nope"), List.of(), null);
    assertEquals(List.of(), f.images.prune(false, filter).deleted());
    var before = new PruneFilter(List.of(), List.of(), Instant.parse("2000-01-01T00:00:00Z"));
    assertEquals(List.of(), f.images.prune(false, before).deleted(), "created 2024: after until");
  }

  @Test
  void diskUsageCountsSharedLayersOnce() {
    ImageId busybox = f.loadBusybox("busybox:latest");
    ImageId multi = f.loadMultiLayer("multi:1");
    long base = f.images.find("busybox").size();
    long multiSize = f.images.find("multi:1").size();

    var du = f.images.diskUsage();
    assertEquals(multiSize, du.layersSize(), "busybox's only layer is multi's first");
    assertEquals(base, du.sharedSize().get(busybox));
    assertEquals(base, du.sharedSize().get(multi));
  }
}
