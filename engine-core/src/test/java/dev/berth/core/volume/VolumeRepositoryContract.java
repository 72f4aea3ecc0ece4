package dev.berth.core.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.ConflictException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link VolumeRepository} must do; the in-memory fake and the SQLite repository both run it. */
public abstract class VolumeRepositoryContract {

  protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

  private VolumeRepository repo;

  protected abstract VolumeRepository newRepository();

  @BeforeEach
  void createRepository() {
    repo = newRepository();
  }

  @Test
  void insertedVolumeIsFoundWithEveryField() {
    Volume v = new Volume(new VolumeName("data"), "local", Map.of("env", "prod", Volume.ANONYMOUS_LABEL, ""),
        new LocalOptions(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m")), T0);
    repo.insert(v);

    assertEquals(Optional.of(v), repo.find(new VolumeName("data")));
    assertEquals(Optional.empty(), repo.find(new VolumeName("other")));
  }

  @Test
  void listIsOrderedByName() {
    repo.insert(volume("zeta"));
    repo.insert(volume("alpha"));
    repo.insert(volume("m1"));

    assertEquals(List.of("alpha", "m1", "zeta"), repo.list().stream().map(v -> v.name().value()).toList());
  }

  @Test
  void namesAreUnique() {
    repo.insert(volume("data"));

    assertThrows(ConflictException.class, () -> repo.insert(volume("data")));
  }

  @Test
  void deleteRemovesTheRowAndIgnoresMissingOnes() {
    repo.insert(volume("data"));
    repo.delete(new VolumeName("data"));
    repo.delete(new VolumeName("never"));

    assertEquals(List.of(), repo.list());
  }

  protected static Volume volume(String name) {
    return new Volume(new VolumeName(name), "local", Map.of(), LocalOptions.NONE, T0);
  }
}
