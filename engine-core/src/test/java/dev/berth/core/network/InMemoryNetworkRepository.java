package dev.berth.core.network;

import dev.berth.core.error.ConflictException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link NetworkRepository} for unit tests. */
public final class InMemoryNetworkRepository implements NetworkRepository {

  private final Map<NetworkId, Network> rows = new ConcurrentHashMap<>();

  @Override
  public Optional<Network> find(NetworkId id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public Optional<Network> findByName(String name) {
    return rows.values().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  @Override
  public List<Network> findByIdPrefix(String prefix) {
    return rows.values().stream().filter(n -> n.id().hex().startsWith(prefix)).toList();
  }

  @Override
  public List<Network> list() {
    return rows.values().stream().sorted(Comparator.comparing(Network::name)).toList();
  }

  @Override
  public synchronized void insert(Network n) {
    if (findByName(n.name()).isPresent()) {
      throw new ConflictException("network with name " + n.name() + " already exists");
    }
    rows.put(n.id(), n);
  }

  @Override
  public void delete(NetworkId id) {
    rows.remove(id);
  }
}
