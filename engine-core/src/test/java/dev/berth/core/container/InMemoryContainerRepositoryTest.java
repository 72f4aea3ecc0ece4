package dev.berth.core.container;

class InMemoryContainerRepositoryTest extends ContainerRepositoryContract {

  @Override
  protected ContainerRepository newRepository() {
    return new InMemoryContainerRepository();
  }
}
