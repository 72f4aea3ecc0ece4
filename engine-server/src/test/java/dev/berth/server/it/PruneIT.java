package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code container prune}, {@code image prune -a} and {@code system df}, and the disk they free:
 * one daemon for the whole class, ending with nothing left on disk.
 */
class PruneIT extends WithBerthd {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void diskUsageAddsUpAndPruningFreesEverything() throws IOException {
    Fixtures.importBusybox(docker, "busybox:latest");
    String writer = docker.run("run", "--name", "writer", "-v", "dfvol:/data", "busybox", "sh", "-c",
        "head -c 100000 /dev/zero > /big; head -c 5000 /dev/zero > /data/v").ok().out();
    assertEquals("", writer);
    docker.run("commit", "writer", "df-commit:1").ok();
    docker.run("run", "-d", "--name", "runner", "busybox", "sleep", "600").ok();

    JsonNode df = df();
    long busybox = size(df, "busybox:latest");
    long committed = size(df, "df-commit:1");
    assertEquals(committed, df.get("LayersSize").asLong(), "busybox's layer is shared, counted once");
    assertEquals(busybox, shared(df, "df-commit:1"));
    assertEquals(100000, committed - busybox, "the committed layer holds the 100000-byte file");
    assertEquals(100000, sizeRw(df, "writer"));
    assertEquals(0, sizeRw(df, "runner"));
    JsonNode vol = volume(df, "dfvol");
    assertEquals(5000, vol.at("/UsageData/Size").asLong());
    assertEquals(1, vol.at("/UsageData/RefCount").asLong());
    String table = docker.run("system", "df").ok().out();
    assertTrue(table.contains("Containers      2         1"), table);

    String pruned = docker.run("container", "prune", "-f").ok().out();
    assertTrue(pruned.contains("Total reclaimed space: 100kB"), pruned);
    assertEquals("runner", docker.run("ps", "-a", "--format", "{{.Names}}").ok().line(), "a running one stays");

    String images = docker.run("image", "prune", "-a", "-f").ok().out();
    assertTrue(images.contains("untagged: df-commit:1"), images);
    assertFalse(images.contains("untagged: busybox:latest"), "busybox is in use by runner: " + images);

    docker.run("rm", "-f", "runner").ok();
    assertTrue(docker.run("image", "prune", "-a", "-f").ok().out().contains("untagged: busybox:latest"));
    assertTrue(docker.run("volume", "prune", "-a", "-f").ok().out().contains("dfvol"));
    JsonNode empty = df();
    assertEquals(0, empty.get("LayersSize").asLong());
    for (String dir : new String[] {"layers", "blobs/sha256", "containers", "volumes"}) {
      assertEquals(0, entries(daemon.dataRoot.resolve(dir)), dir + " is empty again");
    }
  }

  private static JsonNode df() throws IOException {
    String raw = daemon.http("GET", "/v1.51/system/df", null);
    return JSON.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
  }

  private static long size(JsonNode df, String tag) {
    return image(df, tag).get("Size").asLong();
  }

  private static long shared(JsonNode df, String tag) {
    return image(df, tag).get("SharedSize").asLong();
  }

  private static JsonNode image(JsonNode df, String tag) {
    for (JsonNode i : df.get("Images")) {
      for (JsonNode t : i.get("RepoTags")) {
        if (t.asText().equals(tag)) {
          return i;
        }
      }
    }
    throw new AssertionError("no image " + tag + " in " + df);
  }

  private static long sizeRw(JsonNode df, String name) {
    for (JsonNode c : df.get("Containers")) {
      if (c.get("Names").get(0).asText().equals("/" + name)) {
        return c.path("SizeRw").asLong(); // absent when zero, as from dockerd
      }
    }
    throw new AssertionError("no container " + name);
  }

  private static JsonNode volume(JsonNode df, String name) {
    for (JsonNode v : df.get("Volumes")) {
      if (v.get("Name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no volume " + name);
  }

  private static long entries(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
