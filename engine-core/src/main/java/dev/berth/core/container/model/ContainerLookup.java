package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds a container by the reference a client gives, in moby {@code GetContainer}'s order. Every
 * room that takes a reference finds the container here, not through the lifecycle's services.
 */
public final class ContainerLookup {

  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  private final ContainerRepository repository;

  public ContainerLookup(ContainerRepository repository) {
    this.repository = repository;
  }

  /**
   * Finds a container by full ID, name (with or without the leading slash) or unique ID prefix.
   *
   * @throws NotFoundException {@code No such container: <ref>}
   */
  public Container find(String ref) {
    return findOptional(ref).orElseThrow(() -> new NotFoundException("No such container: " + ref));
  }

  public Optional<Container> findOptional(String ref) {
    if (ref == null || ref.isEmpty()) {
      return Optional.empty();
    }
    if (ContainerId.isHex64(ref)) {
      Optional<Container> byId = repository.find(new ContainerId(ref));
      if (byId.isPresent()) {
        return byId;
      }
    }
    String name = ref.startsWith("/") ? ref.substring(1) : ref;
    if (name.length() >= 2 && name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
      Optional<Container> byName = repository.findByName(new ContainerName(name));
      if (byName.isPresent()) {
        return byName;
      }
    }
    if (HEX.matcher(ref).matches()) {
      List<Container> matches = repository.findByIdPrefix(ref);
      if (matches.size() > 1) {
        throw new InvalidArgumentException("multiple IDs found with provided prefix: " + ref);
      }
      return matches.stream().findFirst();
    }
    return Optional.empty();
  }

  public Optional<Container> get(ContainerId id) {
    return repository.find(id);
  }
}
