package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformTest {

  @Test
  void parsesAndNormalizesAsContainerd() {
    assertEquals(new Platform("linux", "arm64", ""), Platform.parse("linux/arm64/v8"));
    assertEquals(new Platform("linux", "amd64", ""), Platform.parse("linux/x86_64"));
    assertEquals(new Platform("linux", "arm", "v7"), Platform.parse("linux/arm/v7"));
    assertEquals(new Platform("linux", "arm64", ""), Platform.parse("LINUX/AARCH64"));
    assertEquals(Platform.host(), Platform.parse("linux"));
    assertThrows(InvalidArgumentException.class, () -> Platform.parse("linux//"));
    assertThrows(InvalidArgumentException.class, () -> Platform.parse("a/b/c/d"));
  }

  @Test
  void acceptsVariantsOnlyWhenBothNameOne() {
    Platform armv7 = Platform.parse("linux/arm/v7");
    assertTrue(armv7.accepts("linux", "arm", "v7"));
    assertTrue(armv7.accepts("linux", "arm", ""));
    assertFalse(armv7.accepts("linux", "arm", "v6"));
    assertTrue(Platform.parse("linux/arm64").accepts("linux", "arm64", "v8"));
    assertFalse(Platform.parse("linux/amd64").accepts("windows", "amd64", ""));
  }

  @Test
  void indexEntriesPreferTheExactVariant() {
    var v6 = new Descriptor("", Digest.of(new byte[] {1}), 1, new Platform("linux", "arm", "v6"), Map.of(), List.of());
    var any = new Descriptor("", Digest.of(new byte[] {2}), 1, new Platform("linux", "arm", ""), Map.of(), List.of());
    var v7 = new Descriptor("", Digest.of(new byte[] {3}), 1, new Platform("linux", "arm", "v7"), Map.of(), List.of());
    assertEquals(v7, Manifests.forPlatform(List.of(v6, any, v7), Platform.parse("linux/arm/v7")).orElseThrow());
    assertEquals(any, Manifests.forPlatform(List.of(v6, any), Platform.parse("linux/arm/v7")).orElseThrow());
    assertTrue(Manifests.forPlatform(List.of(v6), Platform.parse("linux/amd64")).isEmpty());
  }
}
