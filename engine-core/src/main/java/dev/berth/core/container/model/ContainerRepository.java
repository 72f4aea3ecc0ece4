package dev.berth.core.container.model;

import java.util.List;
import java.util.Optional;

/** Container metadata. Names are unique; IDs never change. */
public interface ContainerRepository {

  Optional<Container> find(ContainerId id);

  Optional<Container> findByName(ContainerName name);

  /** Containers whose ID starts with {@code hexPrefix}. */
  List<Container> findByIdPrefix(String hexPrefix);

  /** All containers, newest first. */
  List<Container> list();

  /** @throws dev.berth.core.error.ConflictException if the name is taken */
  void insert(Container c);

  /**
   * Replaces the stored container with the same ID.
   *
   * @throws dev.berth.core.error.NotFoundException if absent
   * @throws dev.berth.core.error.ConflictException if a rename collides
   */
  void update(Container c);

  /** Removes it; a no-op if absent. */
  void delete(ContainerId id);
}
