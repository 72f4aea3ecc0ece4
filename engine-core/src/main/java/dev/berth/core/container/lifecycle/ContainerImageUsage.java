package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageUsage;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Which images containers were created from, for the image side's removal rules. */
public final class ContainerImageUsage implements ImageUsage {

  private final ContainerRepository containers;

  public ContainerImageUsage(ContainerRepository containers) {
    this.containers = containers;
  }

  @Override
  public Optional<String> containerUsing(ImageId id, boolean runningOnly) {
    return containers.list().stream()
        .filter(c -> c.imageId().equals(id) && (!runningOnly || c.state().isRunning()))
        .map(c -> c.id().hex())
        .findFirst();
  }

  @Override
  public Set<ImageId> imagesInUse() {
    return containers.list().stream().map(Container::imageId).collect(Collectors.toSet());
  }
}
