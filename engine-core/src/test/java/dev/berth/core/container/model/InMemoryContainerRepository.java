package dev.berth.core.container.model;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.NotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The reference implementation of {@link ContainerRepository}'s contract, for tests. */
public final class InMemoryContainerRepository implements ContainerRepository {

  private final Map<ContainerId, Container> byId = new LinkedHashMap<>();

  @Override
  public synchronized Optional<Container> find(ContainerId id) {
    return Optional.ofNullable(byId.get(id));
  }

  private volatile Runnable afterNextFindByName;

  @Override
  public Optional<Container> findByName(ContainerName name) {
    Optional<Container> found;
    synchronized (this) {
      found = byId.values().stream().filter(c -> c.name().equals(name)).findFirst();
    }
    Runnable after = afterNextFindByName;
    afterNextFindByName = null;
    if (after != null) {
      after.run();
    }
    return found;
  }

  /** Runs {@code race} once, right after the next lookup by name read its record: what it changes, the reader misses. */
  public void afterNextFindByName(Runnable race) {
    afterNextFindByName = race;
  }

  @Override
  public synchronized List<Container> findByIdPrefix(String hexPrefix) {
    return byId.values().stream().filter(c -> c.id().hex().startsWith(hexPrefix)).toList();
  }

  @Override
  public synchronized List<Container> list() {
    var all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(Container::created).reversed());
    return all;
  }

  @Override
  public synchronized void insert(Container c) {
    if (byId.containsKey(c.id())) {
      throw new ConflictException("container ID " + c.id() + " is already in use");
    }
    findByName(c.name()).ifPresent(other -> {
      throw nameInUse(c.name(), other.id());
    });
    byId.put(c.id(), c);
  }

  @Override
  public synchronized void update(Container c) {
    if (!byId.containsKey(c.id())) {
      throw new NotFoundException("No such container: " + c.id());
    }
    findByName(c.name()).filter(other -> !other.id().equals(c.id())).ifPresent(other -> {
      throw nameInUse(c.name(), other.id());
    });
    byId.put(c.id(), c);
  }

  @Override
  public synchronized void delete(ContainerId id) {
    byId.remove(id);
  }

  /** dockerd's wording, which the SQLite repository uses too. */
  private static ConflictException nameInUse(ContainerName name, ContainerId holder) {
    return new ConflictException("Conflict. The container name \"" + name.slashed() + "\" is already in use by container \""
        + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
  }
}
