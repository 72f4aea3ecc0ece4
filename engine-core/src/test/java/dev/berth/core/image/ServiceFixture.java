package dev.berth.core.image;

import dev.berth.core.config.EnginePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link ImageService} over a temporary data root, an in-memory repository and fakes. */
final class ServiceFixture {

  /** Containers by image, each running or not. */
  static final class FakeUsage implements ImageUsage {
    private record Ctr(String id, boolean running) {}

    private final Map<ImageId, List<Ctr>> byImage = new HashMap<>();

    void add(ImageId image, String containerId, boolean running) {
      byImage.computeIfAbsent(image, k -> new ArrayList<>()).add(new Ctr(containerId, running));
    }

    void clear() {
      byImage.clear();
    }

    @Override
    public Optional<String> containerUsing(ImageId id, boolean runningOnly) {
      return byImage.getOrDefault(id, List.of()).stream().filter(c -> !runningOnly || c.running()).map(Ctr::id)
          .findFirst();
    }

    @Override
    public Set<ImageId> imagesInUse() {
      return new HashSet<>(byImage.keySet());
    }
  }

  /** A clock that moves one second forward each time it is read, so load order is visible. */
  static final class TickingClock extends Clock {
    private final AtomicLong seconds = new AtomicLong(Instant.parse("2025-06-01T00:00:00Z").getEpochSecond());

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(seconds.incrementAndGet());
    }
  }

  final Path root;
  final EnginePaths paths;
  final InMemoryImageRepository repo = new InMemoryImageRepository();
  final Scratch scratch;
  final BlobStore blobs;
  final LayerStore layers;
  final FakeUsage usage = new FakeUsage();
  final TickingClock clock = new TickingClock();
  final dev.berth.core.events.EventBus events = new dev.berth.core.events.EventBus(clock);
  final ImageService images;
  final List<String> progress = new ArrayList<>();

  ServiceFixture(Path root) {
    this(root, null);
  }

  /** With {@code wrap} the stores see a decorated repository (to count calls). */
  ServiceFixture(Path root, java.util.function.UnaryOperator<ImageRepository> wrap) {
    this.root = root;
    this.paths = new EnginePaths(root.resolve("data"), root.resolve("exec"), "berth");
    ImageRepository r = wrap == null ? repo : wrap.apply(repo);
    this.scratch = new Scratch(paths);
    this.blobs = new BlobStore(paths, scratch);
    this.layers = new LayerStore(paths, scratch, r, blobs);
    this.images = new ImageService(r, blobs, layers, scratch, usage, clock, events);
  }

  List<LoadedImage> load(Path archive) {
    try (InputStream in = Files.newInputStream(archive)) {
      return images.load(in, progress::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a busybox archive (Docker 25+ format) and loads it. */
  ImageId loadBusybox(String... tags) {
    Path archive = root.resolve("busybox-" + System.nanoTime() + ".tar");
    ImageId id = BusyboxImages.dockerSave(archive, List.of(tags), BusyboxImages.ImageSpec.busybox());
    load(archive);
    return id;
  }

  ImageId loadMultiLayer(String... tags) {
    Path archive = root.resolve("multi-" + System.nanoTime() + ".tar");
    ImageId id = BusyboxImages.dockerSave(archive, List.of(tags), BusyboxImages.ImageSpec.multiLayer());
    load(archive);
    return id;
  }

  /** Files left in scratch space; empty after every operation. */
  List<Path> scratchLeftovers() {
    if (!Files.isDirectory(scratch.dir())) {
      return List.of();
    }
    try (var s = Files.list(scratch.dir())) {
      return s.toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
