package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.Digest;
import dev.berth.core.image.HistoryEntry;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageRunConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheSourcesTest {

  private static Digest d(String s) {
    return Digest.of(s.getBytes(StandardCharsets.UTF_8));
  }

  private static HistoryEntry h(int second, String createdBy, boolean empty) {
    return new HistoryEntry(Instant.ofEpochSecond(second), createdBy, "", "", empty);
  }

  private static ImageConfig config(List<HistoryEntry> history, List<Digest> diffIds) {
    return new ImageConfig("amd64", "linux", "", history.isEmpty() ? null : history.getLast().created(), "me", "",
        "", ImageRunConfig.EMPTY, diffIds, history);
  }

  private static Image image(ImageConfig c) {
    return new Image(new ImageId(Digest.of(c.toString().getBytes(StandardCharsets.UTF_8))), c, 0, Instant.EPOCH,
        List.of(), List.of(), null);
  }

  // base: one layer; source: base + ENV (empty) + RUN (layer) + CMD (empty)
  private static final HistoryEntry BASE = h(1, "ADD rootfs", false);
  private static final HistoryEntry ENV = h(2, "/bin/sh -c #(nop)  ENV A=1", true);
  private static final HistoryEntry RUN = h(3, "/bin/sh -c echo hi > /f", false);
  private static final HistoryEntry CMD = h(4, "/bin/sh -c #(nop)  CMD [\"sh\"]", true);
  private static final ImageConfig PARENT = config(List.of(BASE), List.of(d("base")));
  private static final ImageConfig SOURCE = config(List.of(BASE, ENV, RUN, CMD), List.of(d("base"), d("run")));

  @Test
  void aStepMatchesTheSourcesNextHistoryEntryAndIsRestoredFromItsLayers() {
    Image source = image(SOURCE);
    var sources = new CacheSources(List.of(source));
    ImageRunConfig run = ImageRunConfig.EMPTY;

    assertTrue(sources.match(PARENT, "/bin/sh -c #(nop)  ENV A=2", run).isEmpty(), "another command is no hit");
    CacheSources.Match env = sources.match(PARENT, ENV.createdBy(), run).orElseThrow();
    assertSame(source, env.source());
    assertEquals(List.of(BASE, ENV), env.restored().history());
    assertEquals(List.of(d("base")), env.restored().diffIds(), "an empty-layer step adds no layer");
    assertEquals(ENV.created(), env.restored().created());
    assertEquals("me", env.restored().author());

    CacheSources.Match r = sources.match(env.restored(), RUN.createdBy(), run).orElseThrow();
    assertEquals(List.of(BASE, ENV, RUN), r.restored().history());
    assertEquals(List.of(d("base"), d("run")), r.restored().diffIds());

    CacheSources.Match last = sources.match(r.restored(), CMD.createdBy(), run).orElseThrow();
    assertNull(last.restored(), "the source's last step is the source itself");
    assertSame(source, last.source());
  }

  @Test
  void aParentThatIsNotTheSourcesBeginningIsNoHit() {
    var sources = new CacheSources(List.of(image(SOURCE)));
    ImageConfig otherBase = config(List.of(h(1, "ADD rootfs", false)), List.of(d("other")));
    assertTrue(sources.match(otherBase, ENV.createdBy(), ImageRunConfig.EMPTY).isEmpty(), "layers differ");
    ImageConfig otherTime = config(List.of(h(9, "ADD rootfs", false)), List.of(d("base")));
    assertTrue(sources.match(otherTime, ENV.createdBy(), ImageRunConfig.EMPTY).isEmpty(), "history differs");
    assertTrue(sources.match(SOURCE, "anything", ImageRunConfig.EMPTY).isEmpty(), "nothing after the source");
  }

  @Test
  void fromScratchTheFirstEntryDecides() {
    var sources = new CacheSources(List.of(image(SOURCE)));
    CacheSources.Match m = sources.match(null, BASE.createdBy(), ImageRunConfig.EMPTY).orElseThrow();
    assertEquals(List.of(BASE), m.restored().history());
    assertEquals(List.of(d("base")), m.restored().diffIds());
  }

  @Test
  void onceRestoredTheStageFollowsThatSourceOnly() {
    var other = new ArrayList<>(SOURCE.history());
    other.set(2, h(3, "/bin/sh -c echo other > /f", false));
    Image a = image(SOURCE);
    Image b = image(config(other, List.of(d("base"), d("other"))));
    var sources = new CacheSources(List.of(a, b));
    ImageConfig env = sources.match(PARENT, ENV.createdBy(), ImageRunConfig.EMPTY).orElseThrow().restored();
    assertTrue(sources.match(env, "/bin/sh -c echo other > /f", ImageRunConfig.EMPTY).isEmpty(),
        "the second source is no longer looked at");
  }

  @Test
  void aLocalHitCountsOnlyOnTheWayToASource() {
    var sources = new CacheSources(List.of(image(SOURCE)));
    assertTrue(sources.leadsTo(PARENT));
    assertTrue(sources.leadsTo(SOURCE));
    assertFalse(sources.leadsTo(config(List.of(BASE, h(2, "/bin/sh -c #(nop)  ENV A=2", true)), List.of(d("base")))));
    assertFalse(new CacheSources(List.of()).leadsTo(PARENT), "a --cache-from naming nothing here disables the local cache");
  }

  @Test
  void layersAreCountedPastEmptyEntries() {
    assertEquals(d("run"), CacheSources.layerAt(SOURCE, 2).orElseThrow().orElseThrow());
    assertTrue(CacheSources.layerAt(SOURCE, 1).orElseThrow().isEmpty());
    ImageConfig short1 = config(List.of(BASE, RUN), List.of(d("base")));
    assertTrue(CacheSources.layerAt(short1, 1).isEmpty(), "a history promising more layers than there are");
    assertFalse(CacheSources.validParent(config(List.of(), List.of()), PARENT));
    assertTrue(CacheSources.validParent(SOURCE, config(List.of(), List.of())));
  }
}
