package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageRunConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {

  @TempDir
  Path dir;

  private static ImageId id(String s) {
    return new ImageId(Digest.of(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aStepIsFoundByItsParentAndKeyWhileItsImageExists() {
    var cache = new BuildCache(dir.resolve("cache"));
    ImageId parent = id("p");
    ImageId child = id("c");
    assertTrue(cache.probe(parent, "k", i -> true).isEmpty());
    cache.store(parent, "k", child);
    assertEquals(child, cache.probe(parent, "k", i -> true).orElseThrow());
    assertTrue(cache.probe(parent, "other", i -> true).isEmpty());
    assertTrue(cache.probe(id("q"), "k", i -> true).isEmpty());
    assertTrue(cache.probe(parent, "k", i -> false).isEmpty(), "an image that is gone is no hit");
    cache.store(null, "k", child);
    assertEquals(child, cache.probe(null, "k", i -> true).orElseThrow());
    assertEquals(2, cache.clear());
    assertTrue(cache.probe(parent, "k", i -> true).isEmpty());
  }

  @Test
  void theConfigKeyIgnoresOrderOfSetsAndMaps() {
    var labels1 = new LinkedHashMap<String, String>();
    labels1.put("a", "1");
    labels1.put("b", "2");
    var labels2 = new LinkedHashMap<String, String>();
    labels2.put("b", "2");
    labels2.put("a", "1");
    var c1 = new ImageRunConfig("", new LinkedHashSet<>(List.of("80/tcp", "90/tcp")), List.of("A=1"), null, null,
        Set.of(), "/w", labels1, "", null, null, null, null, false);
    var c2 = new ImageRunConfig("", new LinkedHashSet<>(List.of("90/tcp", "80/tcp")), List.of("A=1"), null, null,
        Set.of(), "/w", labels2, "", null, null, null, null, false);
    assertEquals(Canonical.of(c1), Canonical.of(c2));
    var c3 = new ImageRunConfig("", Set.of(), List.of("A=2"), null, null, Set.of(), "/w", Map.of(), "", null, null,
        null, null, false);
    assertNotEquals(Canonical.of(c1), Canonical.of(c3));
    // A null command differs from an empty one, as Docker tells them apart.
    var c4 = new ImageRunConfig("", Set.of(), List.of(), null, List.of(), Set.of(), "", Map.of(), "", null, null,
        null, null, false);
    assertNotEquals(Canonical.of(ImageRunConfig.EMPTY), Canonical.of(c4));
  }

  @Test
  void contentChecksumsFollowContentModeAndNamesNotTimes() throws Exception {
    Path a = dir.resolve("a");
    Files.writeString(a, "x");
    String h1 = BuildContext.checksum(a);
    Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(0));
    assertEquals(h1, BuildContext.checksum(a));
    Files.writeString(a, "y");
    assertNotEquals(h1, BuildContext.checksum(a));
    assertTrue(h1.startsWith("file:"));
    Path d = dir.resolve("d");
    Files.createDirectories(d.resolve("sub"));
    Files.writeString(d.resolve("sub/f"), "1");
    String dh = BuildContext.checksum(d);
    assertTrue(dh.startsWith("dir:"));
    Files.move(d.resolve("sub/f"), d.resolve("sub/g"));
    assertNotEquals(dh, BuildContext.checksum(d));
  }
}
