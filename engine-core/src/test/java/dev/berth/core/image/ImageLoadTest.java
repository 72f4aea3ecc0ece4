package dev.berth.core.image;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import dev.berth.core.image.BusyboxImages.Saved;
import dev.berth.core.os.FileNodes;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLoadTest {

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
  }

  @AfterEach
  void noScratchLeftovers() {
    assertEquals(List.of(), f.scratchLeftovers());
  }

  private static ImageReference ref(String s) {
    return ImageReference.parse(s);
  }

  @Test
  void dockerSaveArchiveLoadsWithItsIdAndTags() {
    Path archive = tmp.resolve("busybox.tar");
    ImageId expected = BusyboxImages.dockerSave(archive, List.of("busybox:latest", "busybox:1.36"), ImageSpec.busybox());
    List<LoadedImage> loaded = f.load(archive);
    assertEquals(List.of(new LoadedImage(expected, List.of(ref("busybox:latest"), ref("busybox:1.36")))), loaded);
    assertEquals(List.of("Loaded image: busybox:latest", "Loaded image: busybox:1.36"), f.progress);
    Image img = f.images.find("busybox");
    assertEquals(expected, img.id());
    assertEquals(List.of("sh"), img.config().config().cmd());
    assertEquals("amd64", img.config().architecture());
    // The ID is the digest of the config bytes exactly as stored.
    assertEquals(expected.digest(), Digest.of(f.blobs.read(expected.digest())));
    Path busybox = f.images.layerDirs(expected).getFirst().resolve("bin/busybox");
    assertArrayEquals(BusyboxImages.busybox(), readAll(busybox));
    assertTrue(img.size() >= BusyboxImages.busybox().length);
  }

  @Test
  void legacyDockerSaveArchiveLoads() {
    Path archive = tmp.resolve("legacy.tar");
    ImageId expected = BusyboxImages.dockerSaveLegacy(archive, List.of("busybox:old"), ImageSpec.busybox());
    f.load(archive);
    assertEquals(expected, f.images.find("busybox:old").id());
  }

  @Test
  void legacyArchiveWithASymlinkedDuplicateLayerLoads() {
    Path archive = tmp.resolve("legacy2.tar");
    ImageSpec other = ImageSpec.busybox().withCmd(List.of("echo", "other"));
    BusyboxImages.dockerSaveLegacy(archive, List.of(new Saved(List.of("a:1"), ImageSpec.busybox()),
        new Saved(List.of("b:1"), other)));
    f.load(archive);
    assertEquals(ImageSpec.busybox().id(), f.images.find("a:1").id());
    assertEquals(other.id(), f.images.find("b:1").id());
  }

  @Test
  void gzipLayersAndAGzipArchiveLoad() throws IOException {
    Path archive = tmp.resolve("gz.tar");
    ImageId id = BusyboxImages.dockerSave(archive, List.of("gz:1"), ImageSpec.busybox().gzipped());
    Path gz = tmp.resolve("gz.tar.gz");
    Files.write(gz, TarBuilder.gzip(Files.readAllBytes(archive)));
    f.load(gz);
    Image img = f.images.find("gz:1");
    assertEquals(id, img.id());
    Layer layer = f.layers.find(img.chainIds().getFirst()).orElseThrow();
    // The blob is kept as received: compressed, with its own digest.
    assertEquals(MediaTypes.OCI_LAYER_GZIP, layer.mediaType());
    assertFalse(layer.blob().equals(layer.diffId()));
    assertTrue(f.blobs.has(layer.blob()));
  }

  @Test
  void multiLayerImageHasWhiteoutOpaqueDirAndSymlink() throws IOException {
    ImageId id = f.loadMultiLayer("multi:1");
    List<Path> dirs = f.images.layerDirs(id);
    assertEquals(2, dirs.size());
    Path top = dirs.get(0);
    Path bottom = dirs.get(1);
    assertTrue(Files.isRegularFile(bottom.resolve("etc/motd")));
    assertEquals(0020000, (int) Files.getAttribute(top.resolve("etc/motd"), "unix:mode", NOFOLLOW_LINKS) & 0170000);
    assertArrayEquals(new byte[] {'y'}, FileNodes.getXattr(top.resolve("srv/data"), "trusted.overlay.opaque").orElseThrow());
    assertEquals("/bin/echo", Files.readSymbolicLink(top.resolve("usr/local/bin/greet")).toString());
    assertEquals(1000, Files.getAttribute(top.resolve("app/hello.txt"), "unix:uid"));
    assertEquals(01777, (int) Files.getAttribute(bottom.resolve("tmp"), "unix:mode") & 07777);
    ImageRunConfig c = f.images.find("multi:1").config().config();
    assertEquals("app", c.user());
    assertEquals("/app", c.workingDir());
    assertEquals(List.of("/bin/echo"), c.entrypoint());
    assertEquals(List.of("hello"), c.cmd());
    assertEquals("SIGUSR1", c.stopSignal());
    assertEquals(List.of(BusyboxImages.PATH_ENV, "GREETING=hello"), c.env());
  }

  @Test
  void ociLayoutLoadsWithTheContainerdName() {
    Path archive = tmp.resolve("oci.tar");
    ImageId id = BusyboxImages.ociLayout(archive, "registry.example:5000/team/app:v1", ImageSpec.multiLayer());
    List<LoadedImage> loaded = f.load(archive);
    assertEquals(List.of(new LoadedImage(id, List.of(ref("registry.example:5000/team/app:v1")))), loaded);
    assertEquals(List.of("Loaded image: registry.example:5000/team/app:v1"), f.progress);
  }

  @Test
  void ociLayoutNamedOnlyByAFullRefName() {
    Path archive = tmp.resolve("oci.tar");
    ImageId id = BusyboxImages.ociLayout(archive,
        Map.of(ArchiveReader.REF_NAME_ANNOTATION, "docker.io/library/busybox:oci"), ImageSpec.busybox());
    f.load(archive);
    assertEquals(id, f.images.find("busybox:oci").id());
  }

  @Test
  void ociLayoutWithOnlyABareTagLoadsUntagged() {
    Path archive = tmp.resolve("oci.tar");
    ImageId id = BusyboxImages.ociLayout(archive, Map.of(ArchiveReader.REF_NAME_ANNOTATION, "latest"),
        ImageSpec.busybox());
    assertEquals(List.of(new LoadedImage(id, List.of())), f.load(archive));
    assertEquals(List.of("Loaded image ID: " + id), f.progress);
    assertTrue(f.images.find(id.toString()).dangling());
  }

  @Test
  void multiPlatformIndexPicksTheHostPlatform() {
    Path archive = tmp.resolve("multi.tar");
    ImageSpec arm = ImageSpec.busybox().withArchitecture("arm64").withCmd(List.of("arm"));
    ImageId amd = BusyboxImages.ociLayoutMultiPlatform(archive, "busybox:multi", ImageSpec.busybox(), arm);
    f.load(archive);
    assertEquals(amd, f.images.find("busybox:multi").id());
    assertEquals(1, f.images.list(ImageFilter.NONE).size());
  }

  @Test
  void loadingMovesATagFromAnotherImage() {
    Path first = tmp.resolve("first.tar");
    Path second = tmp.resolve("second.tar");
    ImageId a = BusyboxImages.dockerSave(first, List.of("app:1"), ImageSpec.busybox());
    ImageId b = BusyboxImages.dockerSave(second, List.of("app:1"), ImageSpec.busybox().withCmd(List.of("other")));
    f.load(first);
    f.progress.clear();
    f.load(second);
    assertEquals(List.of("The image app:1 already exists, renaming the old one with ID " + a + " to empty string",
        "Loaded image: app:1"), f.progress);
    assertEquals(b, f.images.find("app:1").id());
    assertTrue(f.images.find(a.toString()).dangling());
  }

  @Test
  void sharedLayersAreExtractedOnce() {
    f.loadBusybox("busybox:latest");
    f.loadMultiLayer("multi:1");
    Image busybox = f.images.find("busybox");
    Image multi = f.images.find("multi:1");
    assertEquals(busybox.chainIds().getFirst(), multi.chainIds().getFirst());
    assertEquals(busybox.config().diffIds().getFirst(), multi.config().diffIds().getFirst());
    assertEquals(f.images.layerDirs(busybox.id()).getFirst(), f.images.layerDirs(multi.id()).getLast());
    assertEquals(2, countDirs(f.paths.layers()));
  }

  @Test
  void concurrentLoadsOfArchivesSharingALayerExtractItOnce() throws Exception {
    var inserts = new AtomicInteger();
    f = new ServiceFixture(tmp.resolve("counted"), repo -> new CountingRepository(repo, inserts));
    List<Path> archives = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Path a = tmp.resolve("c" + i + ".tar");
      BusyboxImages.dockerSave(a, List.of("c:" + i), ImageSpec.busybox().withCmd(List.of("n" + i)));
      archives.add(a);
    }
    var start = new CountDownLatch(1);
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<LoadedImage>>> results = new ArrayList<>();
      for (Path a : archives) {
        results.add(pool.submit(() -> {
          start.await();
          try (var in = Files.newInputStream(a)) {
            return f.images.load(in, s -> {});
          }
        }));
      }
      start.countDown();
      for (var r : results) {
        assertEquals(1, r.get().size());
      }
    }
    assertEquals(1, inserts.get());
    assertEquals(6, f.images.list(ImageFilter.NONE).size());
    assertEquals(1, countDirs(f.paths.layers()));
  }

  @Test
  void diffIdMismatchIsRefusedAndLeavesNoLayer() throws IOException {
    // The config promises the busybox rootfs, the archive carries another tar.
    ImageSpec spec = ImageSpec.busybox();
    byte[] other = new TarBuilder().file("x", "not busybox").build();
    byte[] config = spec.config();
    var manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"bad:1\"],\"Layers\":[\"layer.tar\"]}]";
    Path archive = tmp.resolve("bad.tar");
    Files.write(archive, new TarBuilder().file("config.json", config, 0644).file("layer.tar", other, 0644)
        .file("manifest.json", manifest).build());
    var e = assertThrows(InvalidArgumentException.class, () -> f.load(archive));
    assertTrue(e.getMessage().startsWith("invalid diffID for layer"), e.getMessage());
    assertEquals(0, countDirs(f.paths.layers()));
    assertTrue(f.images.list(ImageFilter.NONE).isEmpty());
  }

  @Test
  void configDigestMismatchIsRefused() throws IOException {
    byte[] config = ImageSpec.busybox().config();
    String wrong = Digest.of("something else".getBytes()).hex();
    var manifest = "[{\"Config\":\"blobs/sha256/" + wrong + "\",\"RepoTags\":null,\"Layers\":[]}]";
    Path archive = tmp.resolve("bad.tar");
    Files.write(archive, new TarBuilder().file("blobs/sha256/" + wrong, config, 0644).file("manifest.json", manifest)
        .build());
    assertThrows(InvalidArgumentException.class, () -> f.load(archive));
  }

  @Test
  void layerCountMismatchIsRefused() throws IOException {
    var manifest = "[{\"Config\":\"c.json\",\"RepoTags\":[],\"Layers\":[]}]";
    Path archive = tmp.resolve("bad.tar");
    Files.write(archive, new TarBuilder().file("c.json", ImageSpec.busybox().config(), 0644)
        .file("manifest.json", manifest).build());
    var e = assertThrows(InvalidArgumentException.class, () -> f.load(archive));
    assertEquals("invalid manifest, layers length mismatch: expected 0, got 1", e.getMessage());
  }

  @Test
  void archiveEntryEscapingIsRefused() throws IOException {
    Path archive = tmp.resolve("evil.tar");
    Files.write(archive, new TarBuilder().file("../../evil", "x").file("manifest.json", "[]").build());
    assertThrows(InvalidArgumentException.class, () -> f.load(archive));
    assertFalse(Files.exists(tmp.resolve("evil")));
    assertFalse(Files.exists(tmp.getParent().resolve("evil")));
  }

  @Test
  void manifestPathsCannotLeaveTheArchive() throws IOException {
    Path archive = tmp.resolve("evil.tar");
    var manifest = "[{\"Config\":\"../../../../etc/passwd\",\"RepoTags\":[],\"Layers\":[]}]";
    Files.write(archive, new TarBuilder().file("manifest.json", manifest).build());
    var e = assertThrows(InvalidArgumentException.class, () -> f.load(archive));
    assertTrue(e.getMessage().contains("escapes"), e.getMessage());
  }

  @Test
  void layerWithAnEscapingEntryIsRefusedAndWritesNothingOutside() throws IOException {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    byte[] evil = new TarBuilder().symlink("a", outside.toString()).file("a/pwned", "x").build();
    var spec = new ImageSpec("amd64", List.of(evil), false, List.of(), "", "", null, null, "", Map.of(),
        List.of(new BusyboxImages.Step("ADD evil", false)));
    Path archive = tmp.resolve("evil.tar");
    BusyboxImages.dockerSave(archive, List.of("evil:1"), spec);
    assertThrows(InvalidArgumentException.class, () -> f.load(archive));
    assertFalse(Files.exists(outside.resolve("pwned")));
    assertEquals(0, countDirs(f.paths.layers()));
  }

  @Test
  void notAnImageArchiveIsRefused() {
    assertThrows(InvalidArgumentException.class,
        () -> f.images.load(new ByteArrayInputStream(new TarBuilder().file("x", "y").build()), s -> {}));
  }

  @Test
  void windowsImageIsRefused() throws IOException {
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"windows\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes();
    Path archive = tmp.resolve("win.tar");
    Files.write(archive, new TarBuilder().file("c.json", config, 0644)
        .file("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[],\"Layers\":[]}]").build());
    var e = assertThrows(InvalidArgumentException.class, () -> f.load(archive));
    assertEquals("cannot load windows image on linux", e.getMessage());
  }

  @Test
  void reloadingIsANoOp() {
    ImageId a = f.loadBusybox("busybox:latest");
    ImageId b = f.loadBusybox("busybox:latest");
    assertEquals(a, b);
    assertEquals(1, f.images.list(ImageFilter.NONE).size());
  }

  @Test
  void leftoversFromACrashAreRemovedAtStartup() throws IOException {
    ImageId id = f.loadBusybox("busybox:latest");
    Path orphan = Files.createDirectories(f.paths.layers().resolve("a".repeat(64)).resolve("diff"));
    Files.writeString(orphan.resolve("half"), "written");
    Path junk = Files.createDirectories(f.scratch.dir().resolve("layer-123/diff"));
    Files.writeString(junk.resolve("x"), "x");
    f.images.removeLeftovers();
    assertFalse(Files.exists(orphan.getParent()));
    assertEquals(List.of(), f.scratchLeftovers());
    assertTrue(Files.isDirectory(f.images.layerDirs(id).getFirst()));
  }

  static long countDirs(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (var s = Files.list(dir)) {
      return s.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
