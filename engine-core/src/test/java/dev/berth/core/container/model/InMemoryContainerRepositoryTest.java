package dev.berth.core.container.model;

class InMemoryContainerRepositoryTest extends ContainerRepositoryContract {

  @Override
  protected ContainerRepository newRepository() {
    return new InMemoryContainerRepository();
  }
}
