package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** find, tag, list and history. */
class ImageNamesTest {

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
  }

  private ImageId load(ImageSpec spec, String... tags) {
    Path archive = tmp.resolve("img-" + System.nanoTime() + ".tar");
    ImageId id = BusyboxImages.dockerSave(archive, List.of(tags), spec);
    f.load(archive);
    return id;
  }

  private static String message(Class<? extends Exception> type, org.junit.jupiter.api.function.Executable e) {
    return assertThrows(type, e).getMessage();
  }

  // ---- find

  @Test
  void findResolvesReferenceIdAndPrefix() {
    ImageId id = f.loadBusybox("busybox:latest");
    assertEquals(id, f.images.find("busybox").id());
    assertEquals(id, f.images.find("docker.io/library/busybox:latest").id());
    assertEquals(id, f.images.find(id.toString()).id());
    assertEquals(id, f.images.find(id.digest().hex()).id());
    assertEquals(id, f.images.find(id.digest().shortHex()).id());
    assertEquals(id, f.images.find("sha256:" + id.digest().hex().substring(0, 8)).id());
  }

  @Test
  void notFoundUsesDockersWording() {
    assertEquals("No such image: busybox:latest", message(NotFoundException.class, () -> f.images.find("busybox")));
    assertEquals("No such image: example.com/app:1",
        message(NotFoundException.class, () -> f.images.find("example.com/app:1")));
    assertEquals("No such image: abc123:latest", message(NotFoundException.class, () -> f.images.find("abc123")));
    String hex = "b".repeat(64);
    assertEquals("No such image: sha256:" + hex, message(NotFoundException.class, () -> f.images.find(hex)));
  }

  @Test
  void invalidNameIsABadRequest() {
    assertThrows(InvalidArgumentException.class, () -> f.images.find("Busybox"));
    assertThrows(InvalidArgumentException.class, () -> f.images.find(""));
  }

  @Test
  void ambiguousPrefixFindsNothing() {
    ImageId a = load(ImageSpec.busybox(), "a:1");
    // Find two images sharing a first hex digit among a few variants.
    ImageId b = null;
    for (int i = 0; b == null || b.digest().hex().charAt(0) != a.digest().hex().charAt(0); i++) {
      b = load(ImageSpec.busybox().withCmd(List.of("v" + i)), "b:" + i);
    }
    String prefix = a.digest().hex().substring(0, 1);
    assertThrows(NotFoundException.class, () -> f.images.find(prefix));
  }

  // ---- tag

  @Test
  void tagPointsANewReferenceAndMovesAnExistingOne() {
    ImageId a = f.loadBusybox("busybox:latest");
    ImageId b = load(ImageSpec.busybox().withCmd(List.of("b")), "other:1");
    f.images.tag("busybox", "myrepo/app", "");
    assertEquals(a, f.images.find("myrepo/app:latest").id());
    f.images.tag(b.toString(), "myrepo/app", null);
    assertEquals(b, f.images.find("myrepo/app").id());
    f.images.tag("other:1", "localhost:5000/x:ignored", "v2");
    assertEquals(b, f.images.find("localhost:5000/x:v2").id());
  }

  @Test
  void tagErrorsUseDockersWording() {
    f.loadBusybox("busybox:latest");
    assertEquals("invalid tag format",
        message(InvalidArgumentException.class, () -> f.images.tag("busybox", "repo", "bad:tag")));
    assertEquals("invalid reference format: repository name (library/Repo) must be lowercase",
        message(InvalidArgumentException.class, () -> f.images.tag("busybox", "Repo", "")));
    assertEquals("cannot import digest reference",
        message(InvalidArgumentException.class, () -> f.images.tag("busybox", "repo@sha256:" + "a".repeat(64), "")));
    assertEquals("refusing to create an ambiguous tag using digest algorithm as name",
        message(InvalidArgumentException.class, () -> f.images.tag("busybox", "sha256", "x")));
    String hex = "c".repeat(64);
    assertEquals("invalid repository name (" + hex + "), cannot specify 64-byte hexadecimal strings",
        message(InvalidArgumentException.class, () -> f.images.tag("busybox", hex, "")));
    assertEquals("No such image: nope:latest", message(NotFoundException.class, () -> f.images.tag("nope", "repo", "")));
  }

  // ---- list

  @Test
  void listIsNewestFirstWithDanglingImages() {
    ImageId old = load(ImageSpec.busybox(), "app:1");
    ImageId newer = load(ImageSpec.busybox().withCmd(List.of("x")), "app:1");
    List<Image> all = f.images.list(ImageFilter.NONE);
    assertEquals(List.of(newer, old), all.stream().map(Image::id).toList());
    assertTrue(all.get(1).dangling());
  }

  @Test
  void referenceFilterMatchesFamiliarNamesAndKeepsOnlyMatchingTags() {
    ImageId busybox = f.loadBusybox("busybox:latest", "busybox:1.36", "mirror.example/busybox:latest");
    ImageId app = load(ImageSpec.busybox().withCmd(List.of("app")), "team/app:1");
    load(ImageSpec.busybox().withCmd(List.of("none")));

    List<Image> r = f.images.list(filter(List.of("busybox"), null, List.of()));
    assertEquals(List.of(busybox), ids(r));
    assertEquals(List.of("busybox:1.36", "busybox:latest"),
        r.getFirst().tags().stream().map(ImageReference::familiar).toList());

    assertEquals(List.of(busybox), ids(f.images.list(filter(List.of("busybox:1.*"), null, List.of()))));
    assertEquals(1, f.images.list(filter(List.of("busybox:1.*"), null, List.of())).getFirst().tags().size());
    assertEquals(List.of(app), ids(f.images.list(filter(List.of("team/*"), null, List.of()))));
    // "*" does not cross a slash.
    assertEquals(List.of(busybox), ids(f.images.list(filter(List.of("*"), null, List.of()))));
    assertEquals(List.of(busybox), ids(f.images.list(filter(List.of("mirror.example/*:latest"), null, List.of()))));
    assertTrue(f.images.list(filter(List.of("nothing*"), null, List.of())).isEmpty());
  }

  @Test
  void danglingFilter() {
    ImageId tagged = f.loadBusybox("busybox:latest");
    ImageId untagged = load(ImageSpec.busybox().withCmd(List.of("u")));
    assertEquals(List.of(untagged), ids(f.images.list(filter(List.of(), true, List.of()))));
    assertEquals(List.of(tagged), ids(f.images.list(filter(List.of(), false, List.of()))));
  }

  @Test
  void labelFilterNeedsEveryLabel() {
    ImageId a = load(ImageSpec.busybox().withLabels(Map.of("tier", "web", "team", "x")), "a:1");
    ImageId b = load(ImageSpec.busybox().withLabels(Map.of("tier", "db")), "b:1");
    f.loadBusybox("plain:1");
    assertEquals(List.of(b, a), ids(f.images.list(filter(List.of(), null, List.of("tier")))));
    assertEquals(List.of(a), ids(f.images.list(filter(List.of(), null, List.of("tier=web")))));
    assertEquals(List.of(a), ids(f.images.list(filter(List.of(), null, List.of("tier", "team=x")))));
    assertTrue(f.images.list(filter(List.of(), null, List.of("tier=web", "team=y"))).isEmpty());
  }

  @Test
  void beforeAndSince() {
    ImageId first = load(ImageSpec.busybox(), "first:1");
    ImageId second = load(ImageSpec.busybox().withCmd(List.of("2")), "second:1");
    ImageId third = load(ImageSpec.busybox().withCmd(List.of("3")), "third:1");
    assertEquals(List.of(first), ids(f.images.list(new ImageFilter(List.of(), null, List.of(), "second:1", null))));
    assertEquals(List.of(third), ids(f.images.list(new ImageFilter(List.of(), null, List.of(), null, "second:1"))));
    assertEquals(List.of(third, second),
        ids(f.images.list(new ImageFilter(List.of(), null, List.of(), null, first.toString()))));
    assertEquals("No such image: ghost:latest", message(NotFoundException.class,
        () -> f.images.list(new ImageFilter(List.of(), null, List.of(), "ghost", null))));
  }

  @Test
  void badGlobIsABadRequest() {
    f.loadBusybox("busybox:latest");
    assertThrows(InvalidArgumentException.class, () -> f.images.list(filter(List.of("[abc"), null, List.of())));
  }

  private static ImageFilter filter(List<String> refs, Boolean dangling, List<String> labels) {
    return new ImageFilter(refs, dangling, labels, null, null);
  }

  private static List<ImageId> ids(List<Image> images) {
    return images.stream().map(Image::id).toList();
  }

  // ---- history

  @Test
  void historyIsNewestFirstWithLayerSizes() {
    ImageId id = f.loadMultiLayer("multi:1", "multi:2");
    Image img = f.images.find("multi:1");
    List<HistoryItem> h = f.images.history("multi:1");
    assertEquals(8, h.size());
    assertEquals(id.toString(), h.getFirst().id());
    assertEquals(List.of("multi:1", "multi:2"), h.getFirst().tags());
    assertEquals("STOPSIGNAL SIGUSR1", h.getFirst().createdBy());
    assertEquals(0, h.getFirst().size());
    for (HistoryItem item : h.subList(1, h.size())) {
      assertEquals("<missing>", item.id());
      assertEquals(List.of(), item.tags());
    }
    long layer1 = f.layers.find(img.chainIds().get(0)).orElseThrow().size();
    long layer2 = f.layers.find(img.chainIds().get(1)).orElseThrow().size();
    assertEquals("COPY layer2 / # buildkit", h.get(5).createdBy());
    assertEquals(layer2, h.get(5).size());
    assertEquals("ADD rootfs.tar / # buildkit", h.get(7).createdBy());
    assertEquals(layer1, h.get(7).size());
    assertEquals(java.time.Instant.parse(BusyboxImages.CREATED), h.get(7).created());
    assertTrue(layer1 > BusyboxImages.busybox().length - 1);
  }
}
