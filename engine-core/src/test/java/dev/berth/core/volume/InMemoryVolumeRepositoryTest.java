package dev.berth.core.volume;

class InMemoryVolumeRepositoryTest extends VolumeRepositoryContract {

  @Override
  protected VolumeRepository newRepository() {
    return new InMemoryVolumeRepository();
  }
}
