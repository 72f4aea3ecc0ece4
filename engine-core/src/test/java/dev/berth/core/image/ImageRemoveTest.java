package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import dev.berth.core.image.ImageDeletion.Deleted;
import dev.berth.core.image.ImageDeletion.Untagged;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRemoveTest {

  private static final String CTR = "0123456789ab" + "c".repeat(52);

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
  }

  private String layerId(ImageId id, int i) {
    return f.images.find(id.toString()).chainIds().get(i).toString();
  }

  @Test
  void removingOneOfSeveralTagsOnlyUntags() {
    ImageId id = f.loadBusybox("busybox:latest", "busybox:1.36");
    assertEquals(List.of(new Untagged("busybox:1.36")), f.images.remove("busybox:1.36", false, false));
    assertEquals(id, f.images.find("busybox").id());
  }

  @Test
  void removingTheLastTagDeletesImageAndLayers() {
    ImageId id = f.loadMultiLayer("multi:1");
    Image img = f.images.find("multi:1");
    List<Path> dirs = f.images.layerDirs(id);
    List<ImageDeletion> out = f.images.remove("multi:1", false, false);
    assertEquals(List.of(new Untagged("multi:1"), new Deleted(id.toString()), new Deleted(layerId(img, 1)),
        new Deleted(layerId(img, 0))), out);
    assertThrows(NotFoundException.class, () -> f.images.find(id.toString()));
    assertThrows(NotFoundException.class, () -> f.images.layerDirs(id), "its layers, once read, went with it");
    dirs.forEach(d -> assertFalse(Files.exists(d)));
    assertEquals(0, ImageLoadTest.countDirs(f.paths.layers()));
    assertFalse(f.blobs.has(id.digest()));
    img.chainIds().forEach(c -> assertTrue(f.repo.findLayer(c).isEmpty()));
    // Every blob went with its image: config and layer archives.
    assertEquals(0, ImageLoadTest.countDirs(f.paths.blobs()));
    assertEquals(List.of(), f.scratchLeftovers());
  }

  private static String layerId(Image img, int i) {
    return img.chainIds().get(i).toString();
  }

  @Test
  void removalReportsUntagAndDeleteButNoLayerEvents() throws InterruptedException {
    ImageId id = f.loadMultiLayer("multi:1");
    try (var events = f.events.subscribe(java.time.Instant.now().plusSeconds(-1))) {
      f.images.remove("multi:1", false, false);
      var seen = new java.util.ArrayList<String>();
      for (var e = events.next(200); e != null; e = events.next(50)) {
        seen.add(e.action() + " " + e.actorId());
      }
      assertEquals(List.of("untag multi:1", "delete " + id), seen);
    }
  }

  @Test
  void layersSharedWithAnotherImageStay() {
    ImageId busybox = f.loadBusybox("busybox:latest");
    ImageId multi = f.loadMultiLayer("multi:1");
    Image img = f.images.find("multi:1");
    List<ImageDeletion> out = f.images.remove("multi:1", false, false);
    assertEquals(List.of(new Untagged("multi:1"), new Deleted(multi.toString()), new Deleted(layerId(img, 1))), out);
    assertTrue(Files.isDirectory(f.images.layerDirs(busybox).getFirst().resolve("bin")));
    Layer base = f.layers.find(img.chainIds().getFirst()).orElseThrow();
    assertTrue(f.blobs.has(base.blob()));
  }

  @Test
  void noPruneStillReleasesLayersAsDockerdDoes() {
    ImageId a = f.loadMultiLayer("multi:1");
    Image img = f.images.find("multi:1");
    assertEquals(List.of(new Untagged("multi:1"), new Deleted(a.toString()), new Deleted(layerId(img, 1)),
        new Deleted(layerId(img, 0))), f.images.remove("multi:1", false, true));
    assertEquals(0, ImageLoadTest.countDirs(f.paths.layers()));
  }

  @Test
  void stoppedContainerBlocksUntaggingTheLastReference() {
    ImageId id = f.loadBusybox("busybox:latest");
    f.usage.add(id, CTR, false);
    var e = assertThrows(ConflictException.class, () -> f.images.remove("busybox", false, false));
    assertEquals("conflict: unable to remove repository reference \"busybox\" (must force) - container 0123456789ab "
        + "is using its referenced image " + id.shortId(), e.getMessage());
    assertEquals(id, f.images.find("busybox").id());
  }

  @Test
  void forceRemovesAnImageAStoppedContainerUsesButKeepsItsLayers() {
    ImageId id = f.loadBusybox("busybox:latest");
    f.usage.add(id, CTR, false);
    List<Path> dirs = f.images.layerDirs(id);
    assertEquals(List.of(new Untagged("busybox:latest"), new Deleted(id.toString())),
        f.images.remove("busybox", true, false));
    assertThrows(NotFoundException.class, () -> f.images.find(id.toString()));
    assertTrue(Files.isDirectory(dirs.getFirst()));
    // Later removals keep them too, while the container exists.
    f.loadMultiLayer("multi:1");
    f.images.remove("multi:1", false, false);
    assertTrue(Files.isDirectory(dirs.getFirst()));
    f.usage.clear();
    f.loadMultiLayer("multi:1");
    f.images.remove("multi:1", false, false);
    assertFalse(Files.exists(dirs.getFirst()));
  }

  @Test
  void removingByIdWithSeveralRepositoriesNeedsForce() {
    ImageId id = f.loadBusybox("busybox:latest", "other:1");
    var e = assertThrows(ConflictException.class, () -> f.images.remove(id.digest().shortHex(), false, false));
    assertEquals("conflict: unable to delete " + id.shortId()
        + " (must be forced) - image is referenced in multiple repositories", e.getMessage());
    List<ImageDeletion> out = f.images.remove(id.digest().shortHex(), true, false);
    assertEquals(List.of(new Untagged("busybox:latest"), new Untagged("other:1"), new Deleted(id.toString()),
        new Deleted(ImageSpec.busybox().diffIds().getFirst().toString())), out);
  }

  @Test
  void removingByIdWithOneTagUntagsAndDeletes() {
    ImageId id = f.loadBusybox("busybox:latest");
    List<ImageDeletion> out = f.images.remove(id.toString(), false, false);
    assertEquals(new Untagged("busybox:latest"), out.get(0));
    assertEquals(new Deleted(id.toString()), out.get(1));
  }

  @Test
  void removingByIdWithAStoppedContainerNeedsForce() {
    ImageId id = f.loadBusybox("busybox:latest");
    f.usage.add(id, CTR, false);
    var e = assertThrows(ConflictException.class, () -> f.images.remove(id.toString(), false, false));
    assertEquals("conflict: unable to delete " + id.shortId() + " (must be forced) - image is being used by stopped "
        + "container 0123456789ab", e.getMessage());
  }

  @Test
  void runningContainerBlocksEvenWhenForced() {
    ImageId id = f.loadBusybox("busybox:latest");
    f.usage.add(id, CTR, true);
    String expected = "conflict: unable to delete " + id.shortId()
        + " (cannot be forced) - image is being used by running container 0123456789ab";
    assertEquals(expected,
        assertThrows(ConflictException.class, () -> f.images.remove(id.toString(), true, false)).getMessage());
    assertEquals(expected,
        assertThrows(ConflictException.class, () -> f.images.remove(id.toString(), false, false)).getMessage());
    // By name with force: the tag goes, the image stays quietly (a container runs from it).
    assertEquals(List.of(new Untagged("busybox:latest")), f.images.remove("busybox", true, false));
    assertEquals(id, f.images.find(id.toString()).id());
  }

  @Test
  void untaggingAnImageUsedByAContainerWithAnotherTagLeft() {
    ImageId id = f.loadBusybox("busybox:latest", "busybox:1.36");
    f.usage.add(id, CTR, false);
    assertEquals(List.of(new Untagged("busybox:latest")), f.images.remove("busybox", false, false));
  }

  @Test
  void unknownImageIsNotFound() {
    assertEquals("No such image: ghost:latest",
        assertThrows(NotFoundException.class, () -> f.images.remove("ghost", false, false)).getMessage());
  }
}
