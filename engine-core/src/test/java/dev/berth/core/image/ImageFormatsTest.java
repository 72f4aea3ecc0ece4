package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ImageConfigCodec, ReferenceGlob, ImageChanges details. */
class ImageFormatsTest {

  private static final String HUB_BUSYBOX = """
      {"architecture":"amd64","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
      "Cmd":["sh"],"Labels":null,"Unknown":{"x":1}},"created":"2024-09-26T21:31:42.123456789+02:00",
      "history":[{"created":"2024-09-26T21:31:42Z","created_by":"BusyBox 1.37.0 (glibc), Debian 12"},
      {"created":"2024-09-26T21:31:42Z","created_by":"CMD [\\"sh\\"]","empty_layer":true}],"os":"linux",
      "rootfs":{"type":"layers","diff_ids":["sha256:%s"]},"future_key":true}
      """.formatted("a".repeat(64));

  @Test
  void parsesARealConfigIgnoringUnknownKeys() {
    ImageConfig c = ImageConfigCodec.parse(HUB_BUSYBOX.getBytes(StandardCharsets.UTF_8));
    assertEquals("amd64", c.architecture());
    assertEquals("linux", c.os());
    assertEquals(Instant.parse("2024-09-26T19:31:42.123456789Z"), c.created());
    assertEquals(List.of("sh"), c.config().cmd());
    assertNull(c.config().entrypoint());
    assertEquals(Map.of(), c.config().labels());
    assertEquals(List.of(new Digest("a".repeat(64))), c.diffIds());
    assertEquals(2, c.history().size());
    assertTrue(c.history().get(1).emptyLayer());
  }

  @Test
  void keysMatchCaseInsensitivelyAndAStringIsAOneElementList() {
    String json = "{\"OS\":\"linux\",\"config\":{\"cmd\":\"echo hi\",\"ENV\":[\"A=1\"]},\"rootfs\":{\"diff_ids\":[]}}";
    ImageConfig c = ImageConfigCodec.parse(json.getBytes(StandardCharsets.UTF_8));
    assertEquals("linux", c.os());
    assertEquals(List.of("echo hi"), c.config().cmd());
    assertEquals(List.of("A=1"), c.config().env());
  }

  @Test
  void badConfigsAreBadRequests() {
    assertThrows(InvalidArgumentException.class, () -> ImageConfigCodec.parse("[]".getBytes()));
    assertThrows(InvalidArgumentException.class, () -> ImageConfigCodec.parse("{".getBytes()));
    assertThrows(InvalidArgumentException.class,
        () -> ImageConfigCodec.parse("{\"rootfs\":{\"diff_ids\":[\"md5:x\"]}}".getBytes()));
  }

  @Test
  void writesDockersKeySpellingsAndRoundTrips() throws IOException {
    var run = new ImageRunConfig("app", Set.of("80/tcp"), List.of("A=1"), List.of("/bin/sh"), List.of("-c", "x"),
        Set.of("/data"), "/w", Map.of("k", "v"), "SIGTERM", 5,
        new Healthcheck(List.of("CMD", "true"), 1_000_000_000L, 0, 0, 0, 2), List.of("RUN x"), List.of("/bin/bash"),
        true);
    var config = new ImageConfig("amd64", "linux", "", Instant.parse("2025-01-02T03:04:05.120Z"), "me", "c", "",
        run, List.of(new Digest("b".repeat(64))),
        List.of(new HistoryEntry(Instant.parse("2025-01-02T03:04:05Z"), "by", "", "c", false)));
    byte[] bytes = ImageConfigCodec.write(config);
    JsonNode json = new ObjectMapper().readTree(bytes);
    assertEquals("2025-01-02T03:04:05.12Z", json.get("created").asText());
    JsonNode c = json.get("config");
    for (String key : List.of("User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir", "Labels",
        "StopSignal", "StopTimeout", "Healthcheck", "OnBuild", "Shell", "ArgsEscaped")) {
      assertTrue(c.has(key), key);
    }
    assertEquals("{}", c.get("ExposedPorts").get("80/tcp").toString());
    assertEquals(1_000_000_000L, c.get("Healthcheck").get("Interval").asLong());
    assertEquals("sha256:" + "b".repeat(64), json.get("rootfs").get("diff_ids").get(0).asText());
    assertEquals("by", json.get("history").get(0).get("created_by").asText());
    assertFalse(json.get("history").get(0).has("empty_layer"));
    assertEquals(config, ImageConfigCodec.parse(bytes));
  }

  @Test
  void referenceGlobFollowsGoPathMatch() {
    ImageReference busybox = ImageReference.parse("busybox:1.36");
    assertTrue(new ReferenceGlob("busybox").matches(busybox));
    assertTrue(new ReferenceGlob("busy*").matches(busybox));
    assertTrue(new ReferenceGlob("busybox:1.3?").matches(busybox));
    assertTrue(new ReferenceGlob("busybox:[0-9].*").matches(busybox));
    assertFalse(new ReferenceGlob("busybox:[^0-9]*").matches(busybox));
    assertFalse(new ReferenceGlob("docker.io/*").matches(busybox));
    ImageReference deep = ImageReference.parse("ghcr.io/org/app:v1");
    assertFalse(new ReferenceGlob("*").matches(deep));
    assertTrue(new ReferenceGlob("ghcr.io/*/app").matches(deep));
    assertTrue(new ReferenceGlob("ghcr.io/org/app:v\\1").matches(deep));
    assertThrows(InvalidArgumentException.class, () -> new ReferenceGlob("[a-"));
  }

  @Test
  void goDurations() {
    assertEquals(30_000_000_000L, GoDuration.parse("30s"));
    assertEquals(90_000_000_000L, GoDuration.parse("1m30s"));
    assertEquals(1_500_000L, GoDuration.parse("1.5ms"));
    assertEquals(0, GoDuration.parse("0"));
    assertThrows(InvalidArgumentException.class, () -> GoDuration.parse("30"));
    assertThrows(InvalidArgumentException.class, () -> GoDuration.parse("abc"));
  }

  @Test
  void changeDetails() {
    ImageRunConfig base = ImageRunConfig.EMPTY;
    assertEquals(List.of("NONE"), ImageChanges.apply(base, List.of("HEALTHCHECK NONE")).healthcheck().test());
    assertEquals(List.of("CMD-SHELL", "curl -f localhost || exit 1"),
        ImageChanges.apply(base, List.of("healthcheck CMD curl -f localhost || exit 1")).healthcheck().test());
    assertEquals("Interval \"--interval\" cannot be less than 1ms", assertThrows(InvalidArgumentException.class,
        () -> ImageChanges.apply(base, List.of("HEALTHCHECK --interval=1us CMD true"))).getMessage());
    assertEquals("USER requires exactly one argument",
        assertThrows(InvalidArgumentException.class, () -> ImageChanges.apply(base, List.of("USER a b"))).getMessage());
    assertEquals("VOLUME specified can not be an empty string", assertThrows(InvalidArgumentException.class,
        () -> ImageChanges.apply(base, List.of("VOLUME [\"\"]"))).getMessage());
    // Several instructions may come in one change, separated by newlines, continued with backslashes.
    ImageRunConfig c = ImageChanges.apply(base, List.of("ENV A=1\nENV B=2 \\\n  C=3", "# comment", "STOPSIGNAL 9"));
    assertEquals(List.of("A=1", "B=2", "C=3"), c.env());
    assertEquals("9", c.stopSignal());
    assertEquals(List.of("X=2"), ImageChanges.apply(base, List.of("ENV X=1", "ENV X=2")).env());
    assertEquals(base, ImageChanges.apply(base, List.of()));
  }
}
