package dev.berth.core.network;

import java.util.List;
import java.util.Optional;

/** Which networks exist. Names and IDs are unique; a network never changes after insert. */
public interface NetworkRepository {

  Optional<Network> find(NetworkId id);

  Optional<Network> findByName(String name);

  /** Whether a network has this name; a store may answer without reading the network. */
  default boolean existsByName(String name) {
    return findByName(name).isPresent();
  }

  List<Network> findByIdPrefix(String prefix);

  /** All networks, by name. */
  List<Network> list();

  /** @throws dev.berth.core.error.ConflictException if the name is taken */
  void insert(Network network);

  /** Removes the row; no error if it is absent. */
  void delete(NetworkId id);
}
