package dev.berth.core.image;

class InMemoryImageRepositoryTest extends ImageRepositoryContract {

  @Override
  protected ImageRepository newRepository() {
    return new InMemoryImageRepository();
  }
}
