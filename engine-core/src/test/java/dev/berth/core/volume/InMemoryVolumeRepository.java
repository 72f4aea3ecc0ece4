package dev.berth.core.volume;

import dev.berth.core.error.ConflictException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The reference implementation of {@link VolumeRepository}'s contract, for tests. */
public final class InMemoryVolumeRepository implements VolumeRepository {

  private final Map<String, Volume> byName = new TreeMap<>();

  @Override
  public synchronized Optional<Volume> find(VolumeName name) {
    return Optional.ofNullable(byName.get(name.value()));
  }

  @Override
  public synchronized List<Volume> list() {
    return List.copyOf(byName.values());
  }

  @Override
  public synchronized void insert(Volume v) {
    if (byName.putIfAbsent(v.name().value(), v) != null) {
      throw new ConflictException("volume name must be unique: " + v.name());
    }
  }

  @Override
  public synchronized void delete(VolumeName name) {
    byName.remove(name.value());
  }
}
