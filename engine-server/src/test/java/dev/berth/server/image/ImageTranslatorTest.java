package dev.berth.server.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.ImageFilter;
import dev.berth.server.api.Filters;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /images/json} filters, dangling as moby's {@code Args.GetBoolOrDefault} reads it. */
class ImageTranslatorTest {

  private static ImageFilter filter(String json) {
    return ImageTranslator.filter(Filters.parse(json));
  }

  private static String badFilter(String json) {
    return assertThrows(InvalidArgumentException.class, () -> filter(json)).getMessage();
  }

  @Test
  void noFiltersMeansNone() {
    assertEquals(ImageFilter.NONE, filter(""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "1"})
  void danglingTrue(String v) {
    assertEquals(Boolean.TRUE, filter("{\"dangling\":[\"" + v + "\"]}").dangling());
  }

  @ParameterizedTest
  @ValueSource(strings = {"false", "0"})
  void danglingFalse(String v) {
    assertEquals(Boolean.FALSE, filter("{\"dangling\":{\"" + v + "\":true}}").dangling());
  }

  @Test
  void danglingAbsentIsNoFilter() {
    assertNull(filter("{\"reference\":[\"busybox\"]}").dangling());
  }

  @ParameterizedTest
  @ValueSource(strings = {"junk", "yes", "TRUE", "False", ""})
  void danglingJunkIsABadRequestWithMobysWording(String v) {
    assertEquals("invalid filter 'dangling=[" + v + "]'", badFilter("{\"dangling\":[\"" + v + "\"]}"));
  }

  @Test
  void danglingBothTrueAndFalseIsABadRequest() {
    assertEquals("invalid filter 'dangling=[true false]'", badFilter("{\"dangling\":[\"true\",\"false\"]}"));
  }

  @Test
  void danglingRepeatedWithTheSameMeaningIsFine() {
    assertEquals(Boolean.TRUE, filter("{\"dangling\":[\"true\",\"1\"]}").dangling());
  }

  @Test
  void referenceLabelBeforeAndSinceAreCarried() {
    ImageFilter f = filter("""
        {"reference":["busy*","alpine:3"],"label":["a=b","c"],"before":["busybox:1"],"since":["busybox:0"]}
        """);
    assertEquals(new ImageFilter(List.of("busy*", "alpine:3"), null, List.of("a=b", "c"), "busybox:1", "busybox:0"), f);
  }

  @Test
  void unknownFilterKeyIsABadRequest() {
    assertEquals("invalid filter 'status'", badFilter("{\"status\":[\"exited\"]}"));
  }

  @Test
  void pullReferencesAsTheCliSendsThem() {
    assertEquals("docker.io/library/busybox:latest", ImageTranslator.pullReference("busybox", "").toString());
    assertEquals("docker.io/library/busybox:1.36", ImageTranslator.pullReference("docker.io/library/busybox", "1.36")
        .toString());
    String d = "sha256:" + "a".repeat(64);
    assertEquals("127.0.0.1:5000/app@" + d, ImageTranslator.pullReference("127.0.0.1:5000/app", d).toString());
    assertThrows(dev.berth.core.error.InvalidArgumentException.class, () -> ImageTranslator.pullReference("Busy", ""));
    assertThrows(dev.berth.core.error.InvalidArgumentException.class,
        () -> ImageTranslator.pullReference("busybox", "bad tag"));
    assertEquals(null, ImageTranslator.platform(""));
    assertEquals("linux/arm64", ImageTranslator.platform("linux/arm64/v8").toString());
  }
}
