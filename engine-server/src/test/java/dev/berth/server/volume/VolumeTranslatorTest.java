package dev.berth.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.volume.LocalOptions;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeName;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Volume JSON as dockerd writes it, and the list and prune filters as it reads them. */
class VolumeTranslatorTest {

  @Test
  void volumeShapeHasSecondsCreatedAtAndNullsForNothing() {
    var v = new Volume(new VolumeName("data"), "local", Map.of(), LocalOptions.NONE,
        Instant.parse("2025-01-02T03:04:05.678Z"));
    String json = new String(Json.bytes(VolumeTranslator.volume(v, Path.of("/d/volumes/data/_data"), null)));
    assertEquals("{\"CreatedAt\":\"2025-01-02T03:04:05Z\",\"Driver\":\"local\",\"Labels\":null,"
        + "\"Mountpoint\":\"/d/volumes/data/_data\",\"Name\":\"data\",\"Options\":null,\"Scope\":\"local\"}", json);
  }

  @Test
  void optionsAndUsageAreShownWhenThere() {
    var v = new Volume(new VolumeName("tv"), "local", Map.of("a", "b"),
        new LocalOptions(Map.of("type", "tmpfs", "device", "tmpfs")), Instant.EPOCH);
    String json = new String(Json.bytes(VolumeTranslator.volume(v, Path.of("/x"), VolumeTranslator.usage(12, 2))));
    assertTrue(json.contains("\"Options\":{"), json);
    assertTrue(json.contains("\"UsageData\":{\"Size\":12,\"RefCount\":2}"), json);
  }

  @Test
  void listFiltersAreCheckedAndDanglingIsABool() {
    var f = VolumeTranslator.filter(Filters.parse("{\"dangling\":[\"true\"],\"name\":[\"a\"],\"label\":[\"k=v\"]}"));
    assertTrue(f.dangling());
    assertEquals(List.of("a"), f.names());
    assertEquals("invalid filter 'size'", assertThrows(InvalidArgumentException.class,
        () -> VolumeTranslator.filter(Filters.parse("{\"size\":[\"1\"]}"))).getMessage());
    assertEquals("invalid filter 'dangling=[maybe]'", assertThrows(InvalidArgumentException.class,
        () -> VolumeTranslator.filter(Filters.parse("{\"dangling\":[\"maybe\"]}"))).getMessage());
  }

  @Test
  void pruneAllFollowsParseBoolAndOldApisPruneNamedVolumes() {
    assertFalse(VolumeTranslator.pruneAll(List.of(), false));
    assertTrue(VolumeTranslator.pruneAll(List.of(), true), "before API 1.42 every unused volume went");
    assertTrue(VolumeTranslator.pruneAll(List.of("True"), false));
    assertFalse(VolumeTranslator.pruneAll(List.of("0"), false));
    assertEquals("invalid filter 'all': strconv.ParseBool: parsing \"yes\": invalid syntax",
        assertThrows(InvalidArgumentException.class, () -> VolumeTranslator.pruneAll(List.of("yes"), false))
            .getMessage());
    assertTrue(VolumeTranslator.pruneAll(List.of("true"), true), "dockerd's added all=true is the same value");
    assertEquals("invalid filter 'all=[false true]': only one value is expected",
        assertThrows(InvalidArgumentException.class, () -> VolumeTranslator.pruneAll(List.of("false"), true))
            .getMessage(), "an old API's all=false beside the all=true dockerd adds");
  }
}
