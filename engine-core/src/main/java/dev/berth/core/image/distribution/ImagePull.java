package dev.berth.core.image.distribution;

import dev.berth.core.error.EngineException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.BlobStore;
import dev.berth.core.image.ChainId;
import dev.berth.core.image.Compression;
import dev.berth.core.image.Descriptor;
import dev.berth.core.image.Digest;
import dev.berth.core.image.GoJson;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageConfigCodec;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRepository;
import dev.berth.core.image.Layer;
import dev.berth.core.image.LayerStore;
import dev.berth.core.image.Manifests;
import dev.berth.core.image.MediaTypes;
import dev.berth.core.image.Platform;
import dev.berth.core.image.registry.Credentials;
import dev.berth.core.image.registry.Manifest;
import dev.berth.core.image.registry.Registries;
import dev.berth.core.image.registry.RegistryClient;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

/**
 * One {@code docker pull}, step for step as dockerd reports it: resolve the reference (a HEAD
 * first, so an image already here costs one round trip), choose the platform's manifest from an
 * index, fetch the config, then download the layers not stored yet, {@value #CONCURRENT_DOWNLOADS}
 * at a time (dockerd's max-concurrent-downloads), extracting them in order as they arrive.
 *
 * <p>Nothing is trusted before it is verified: every blob goes through the blob store, which
 * installs it only once its digest matches, and a layer is installed only once its content
 * matches the config's diffID. The image row comes last, so an interrupted pull leaves complete
 * blobs and layers (reused by the next pull) and scratch files (removed at startup), never an
 * image or layer that counts as present but is not.
 */
final class ImagePull {

  static final int CONCURRENT_DOWNLOADS = 3;
  static final int RETRY_DELAY_TICKS = 5;

  private final ImageRepository repo;
  private final BlobStore blobs;
  private final LayerStore layers;
  private final Registries registries;
  private final Clock clock;
  private final Duration retryTick;
  private final int maxAttempts;

  ImagePull(ImageRepository repo, BlobStore blobs, LayerStore layers, Registries registries, Clock clock,
      Duration retryTick) {
    this.repo = repo;
    this.blobs = blobs;
    this.layers = layers;
    this.registries = registries;
    this.clock = clock;
    this.retryTick = retryTick;
    this.maxAttempts = registries.options().maxDownloadAttempts();
  }

  /** The manifest chosen and where it came from. */
  private record Resolved(RegistryClient client, Digest topDigest, Manifest manifest) {}

  ImageId pull(ImageReference ref, Platform requested, Credentials creds, Consumer<Progress> out) {
    Platform platform = requested == null ? Platform.host() : requested;
    String tagOrDigest = ref.digest() != null ? ref.digest().toString() : ref.tag();
    List<RegistryClient> clients = registries.clients(ref, creds, Registries.Access.PULL);
    EngineException last = null;
    for (RegistryClient client : clients) {
      try {
        return pullFrom(client, ref, tagOrDigest, platform, requested != null, out);
      } catch (EngineException e) {
        // A mirror that fails is skipped, as dockerd falls back to the next endpoint.
        if (!client.isMirror()) {
          throw e;
        }
        last = e;
      }
    }
    throw last != null ? last : new InternalException("no registry endpoint for " + ref.domain());
  }

  private ImageId pullFrom(RegistryClient client, ImageReference ref, String tagOrDigest, Platform platform,
      boolean explicitPlatform, Consumer<Progress> out) {
    Optional<Digest> head = ref.digest() != null ? Optional.of(ref.digest()) : client.manifestDigest(tagOrDigest);
    if (head.isPresent() && !explicitPlatform) {
      Optional<Image> known = repo.findByReference(ref.withDigest(head.get()));
      if (known.isPresent()) {
        out.accept(new Progress.Message(tagOrDigest, "Pulling from " + pathName(ref)));
        boolean moved = tagIfNeeded(ref, known.get().id());
        finish(ref, head.get(), moved, out);
        return known.get().id();
      }
    }
    Manifest top = client.manifest(head.map(Digest::toString).orElse(tagOrDigest), ref);
    out.accept(new Progress.Message(tagOrDigest, "Pulling from " + pathName(ref)));
    Manifest chosen = top;
    String kind = kind(top);
    if (MediaTypes.isIndex(kind)) {
      List<Descriptor> entries = Manifests.entries(GoJson.parse(top.content(), "manifest list"), "manifest list");
      Descriptor d = Manifests.forPlatform(entries, platform).orElseThrow(() -> new NotFoundException(
          "no matching manifest for " + platform + " in the manifest list entries"));
      chosen = client.manifest(d.digest().toString(), ref);
      kind = kind(chosen);
    }
    if (!MediaTypes.isManifest(kind)) {
      throw new UpstreamException("unsupported manifest media type and no default available: " + kind);
    }
    Manifests.ImageManifest m = Manifests.imageManifest(GoJson.parse(chosen.content(), "manifest"), "manifest");
    byte[] configBytes = fetchSmall(client, m.config());
    ImageConfig config = ImageConfigCodec.parse(configBytes);
    ImageId id = new ImageId(m.config().digest());
    if (explicitPlatform && !config.architecture().isEmpty()
        && !platform.accepts(config.os().isEmpty() ? platform.os() : config.os(), config.architecture(), config.variant())) {
      throw new NotFoundException("image with reference " + ref.familiar() + " was found but does not match the "
          + "specified platform: wanted " + platform + ", actual: " + (config.os().isEmpty() ? platform.os() : config.os())
          + "/" + config.architecture() + (config.variant().isEmpty() ? "" : "/" + config.variant()));
    }
    if (!config.os().isEmpty() && !config.os().equals(platform.os())) {
      throw new InvalidArgumentException("image operating system \"" + config.os() + "\" cannot be used on this platform");
    }
    if (m.layers().size() != config.diffIds().size()) {
      throw new UpstreamException("invalid manifest, layers length mismatch: expected " + m.layers().size()
          + ", got " + config.diffIds().size());
    }
    // Held until the image row is in: a removal must not collect layers this pull found or made.
    try (var _ = layers.adding()) {
      long size = fetchLayers(client, m.layers(), config.diffIds(), out);
      blobs.put(configBytes);
      boolean isNew = repo.find(id).isEmpty();
      repo.insert(id, config, size, clock.instant());
      boolean moved = tagIfNeeded(ref, id);
      repo.addRepoDigest(id, ref.withDigest(top.digest()).toString());
      finish(ref, top.digest(), isNew || moved, out);
    }
    return id;
  }

  /**
   * The manifest {@code ref} names in its registry and the platforms it serves, without pulling
   * anything ({@code GET /distribution/{name}/json}).
   */
  Distribution inspect(ImageReference ref, Credentials creds) {
    RegistryClient client = registries.clients(ref, creds, Registries.Access.PULL).getLast();
    Manifest top = client.manifest(ref.digest() != null ? ref.digest().toString() : ref.tag(), ref);
    String kind = kind(top);
    List<Platform> platforms;
    if (MediaTypes.isIndex(kind)) {
      platforms = Manifests.entries(GoJson.parse(top.content(), "manifest list"), "manifest list").stream()
          .map(Descriptor::platform).filter(java.util.Objects::nonNull).toList();
    } else {
      Manifests.ImageManifest m = Manifests.imageManifest(GoJson.parse(top.content(), "manifest"), "manifest");
      ImageConfig config = ImageConfigCodec.parse(fetchSmall(client, m.config()));
      platforms = List.of(new Platform(config.os(), config.architecture(), config.variant()));
    }
    return new Distribution(kind, top.digest(), top.content().length, platforms);
  }

  /** Points the tag at the image; true if it pointed elsewhere (or nowhere) before. */
  private boolean tagIfNeeded(ImageReference ref, ImageId id) {
    if (ref.tag() == null) {
      return false;
    }
    Optional<Image> before = repo.findByReference(ref);
    if (before.isPresent() && before.get().id().equals(id)) {
      return false;
    }
    repo.tag(ref, id, clock.instant());
    return true;
  }

  private static void finish(ImageReference ref, Digest digest, boolean updated, Consumer<Progress> out) {
    out.accept(new Progress.Message(null, "Digest: " + digest));
    out.accept(new Progress.Message(null, "Status: " + (updated ? "Downloaded newer image for " : "Image is up to date for ")
        + ref.familiar()));
  }

  /**
   * Layers not stored yet are downloaded concurrently and extracted in order (each needs the one
   * beneath registered first); layers stored already are neither downloaded nor extracted again.
   * Returns the bytes of all layers' content.
   */
  private long fetchLayers(RegistryClient client, List<Descriptor> descriptors, List<Digest> diffIds,
      Consumer<Progress> out) {
    List<ChainId> chain = ChainId.chain(diffIds);
    var needed = new ArrayList<Integer>();
    for (int i = 0; i < descriptors.size(); i++) {
      Descriptor d = descriptors.get(i);
      if (layers.find(chain.get(i)).isPresent()) {
        out.accept(new Progress.LayerStatus(d.shortId(), "Already exists"));
      } else {
        out.accept(new Progress.LayerStatus(d.shortId(), "Pulling fs layer"));
        needed.add(i);
      }
    }
    var downloads = new Downloads(client, out);
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Map<Digest, Future<Digest>> futures = new HashMap<>();
      for (int i : needed) {
        Descriptor d = descriptors.get(i);
        futures.computeIfAbsent(d.digest(), k -> pool.submit(() -> downloads.fetch(d)));
      }
      try {
        long size = 0;
        for (int i = 0; i < descriptors.size(); i++) {
          Descriptor d = descriptors.get(i);
          ChainId parent = i == 0 ? null : chain.get(i - 1);
          Layer layer = layers.find(chain.get(i)).orElse(null);
          if (layer == null) {
            Digest blob = await(futures.get(d.digest()));
            long total = blobs.size(blob);
            layer = layers.register(parent, diffIds.get(i), blob, layerMediaType(d, blob),
                n -> out.accept(new Progress.Transfer(d.shortId(), "Extracting", n, total)));
            out.accept(new Progress.LayerStatus(d.shortId(), "Pull complete"));
          }
          size += layer.size();
        }
        return size;
      } catch (RuntimeException e) {
        downloads.abort();
        futures.values().forEach(f -> f.cancel(true));
        throw e;
      }
    }
  }

  private String layerMediaType(Descriptor d, Digest blob) {
    return d.mediaType().isEmpty() ? Compression.of(blobs.path(blob)).layerMediaType() : d.mediaType();
  }

  private static Digest await(Future<Digest> f) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new InternalException("layer download failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while pulling", e);
    }
  }

  /** A config (or other small blob), read into memory and checked against its descriptor. */
  private byte[] fetchSmall(RegistryClient client, Descriptor d) {
    if (blobs.has(d.digest())) {
      return blobs.read(d.digest());
    }
    try (InputStream in = client.blob(d.digest())) {
      byte[] content = in.readNBytes(d.size() >= 0 ? (int) Math.min(d.size() + 1, 64L << 20) : 64 << 20);
      if (!Digest.of(content).equals(d.digest()) || (d.size() >= 0 && content.length != d.size())) {
        throw new UpstreamException("failed to verify " + d.digest() + ": content does not match its descriptor");
      }
      return content;
    } catch (IOException e) {
      throw new UpstreamException("error pulling config " + d.digest() + ": " + e.getMessage(), e);
    }
  }

  /** The layer downloads of one pull: at most {@value #CONCURRENT_DOWNLOADS} at once, all stoppable. */
  private final class Downloads {

    private final RegistryClient client;
    private final Consumer<Progress> out;
    private final Semaphore slots = new Semaphore(CONCURRENT_DOWNLOADS);
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean aborted;

    Downloads(RegistryClient client, Consumer<Progress> out) {
      this.client = client;
      this.out = out;
    }

    Digest fetch(Descriptor d) throws InterruptedException {
      if (blobs.has(d.digest())) {
        // A blob an earlier, interrupted pull completed: verified when stored, so not fetched again.
        out.accept(new Progress.LayerStatus(d.shortId(), "Download complete"));
        return d.digest();
      }
      if (!slots.tryAcquire()) {
        out.accept(new Progress.LayerStatus(d.shortId(), "Waiting"));
        slots.acquire();
      }
      try {
        for (int attempt = 1; ; attempt++) {
          try {
            return download(d);
          } catch (UpstreamException e) {
            // Only a connection that failed is worth another try; what the registry said stands.
            boolean connection = e.getCause() instanceof IOException || e.getCause() instanceof UncheckedIOException;
            if (aborted || !connection || attempt >= maxAttempts) {
              throw e;
            }
            waitToRetry(d, attempt * RETRY_DELAY_TICKS);
          }
        }
      } finally {
        slots.release();
      }
    }

    private Digest download(Descriptor d) {
      if (aborted) {
        throw new InternalException("pull aborted");
      }
      InputStream body = client.blob(d.digest());
      open.add(body);
      try (var in = new Verified(body, d)) {
        Digest stored = blobs.put(in, d.digest());
        out.accept(new Progress.LayerStatus(d.shortId(), "Verifying Checksum"));
        out.accept(new Progress.LayerStatus(d.shortId(), "Download complete"));
        return stored;
      } catch (IOException | UncheckedIOException e) {
        throw new UpstreamException("error pulling image layer " + d.digest() + ": " + rootMessage(e), e);
      } finally {
        open.remove(body);
      }
    }

    // dockerd's countdown: "Retrying in 5 seconds", one line a second, 5 s longer each attempt.
    private void waitToRetry(Descriptor d, int ticks) throws InterruptedException {
      for (int left = ticks; left > 0 && !aborted; left--) {
        out.accept(new Progress.LayerStatus(d.shortId(), "Retrying in " + left + " second" + (left == 1 ? "" : "s")));
        Thread.sleep(retryTick);
      }
    }

    /** Stops every download in flight by closing its connection; their threads then fail fast. */
    void abort() {
      aborted = true;
      for (InputStream in : open) {
        try {
          in.close();
        } catch (IOException e) {
          // closing is all we wanted
        }
      }
    }

    /** Counts what arrives, reports it, and refuses more or fewer bytes than the descriptor promised. */
    private final class Verified extends FilterInputStream {

      private static final long REPORT_STEP = 512 * 1024;
      private final Descriptor d;
      private long count;
      private long reported = -1;

      Verified(InputStream in, Descriptor d) {
        super(in);
        this.d = d;
      }

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (aborted) {
          throw new IOException("pull aborted");
        }
        int n = super.read(b, off, len);
        if (n < 0) {
          if (d.size() >= 0 && count != d.size()) {
            throw new IOException("unexpected EOF: got " + count + " of " + d.size() + " bytes");
          }
          return n;
        }
        count += n;
        if (d.size() >= 0 && count > d.size()) {
          throw new IOException("blob is larger than its descriptor's " + d.size() + " bytes");
        }
        if (count - reported >= REPORT_STEP || count == d.size()) {
          reported = count;
          out.accept(new Progress.Transfer(d.shortId(), "Downloading", count, d.size()));
        }
        return n;
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  private static String kind(Manifest m) {
    if (!m.mediaType().isEmpty() && !m.mediaType().equals("application/json")
        && !m.mediaType().equals("text/plain")) {
      return m.mediaType();
    }
    return Manifests.kind(GoJson.parse(m.content(), "manifest"));
  }

  /** dockerd's "Pulling from" names the repository path: {@code library/busybox}, {@code team/app}. */
  private static String pathName(ImageReference ref) {
    return ref.path();
  }
}
