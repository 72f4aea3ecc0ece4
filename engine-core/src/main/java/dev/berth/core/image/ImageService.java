package dev.berth.core.image;

import dev.berth.core.fs.FileTrees;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.prune.PruneFilter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Images: loading and saving archives, importing root filesystems, naming, listing, removing.
 * Names are resolved Docker's way: a reference first, then a full ID, then a unique ID prefix.
 *
 * <p>Operations that add content (load, import) run concurrently with each other; removal, which
 * deletes layers no image lists, runs alone ({@link LayerStore#adding}, {@link LayerStore#removing}),
 * so it never takes a layer a load has extracted but not yet attached to its image.
 */
public final class ImageService {

  private static final String IMPORT_COMMENT = "Imported from -";

  private final ImageRepository repo;
  private final BlobStore blobs;
  private final LayerStore layers;
  private final Scratch scratch;
  private final Clock clock;
  private final Platform platform;
  private final ImageRemoval removal;
  private final ImageNames names;
  private final EventBus events;
  // Each image's layer directories, as layerDirs answers: an image ID is the digest of the config
  // that lists its layers, so they never change while the image exists. Read once (every start and
  // inspect of a container needs them) and dropped as the image is removed; the removal's drop waits
  // for a read of the same image under way, so no entry outlives its image.
  private final java.util.concurrent.ConcurrentHashMap<ImageId, List<Path>> layerDirs =
      new java.util.concurrent.ConcurrentHashMap<>();

  public ImageService(ImageRepository repo, BlobStore blobs, LayerStore layers, Scratch scratch, ImageUsage usage,
      Clock clock, EventBus events) {
    this.events = events;
    this.repo = repo;
    this.blobs = blobs;
    this.layers = layers;
    this.scratch = scratch;
    this.clock = clock;
    this.platform = Platform.host();
    this.removal = new ImageRemoval(repo, blobs, layers, usage, layerDirs::remove);
    this.names = new ImageNames(repo);
  }

  /**
   * Deletes what an interrupted load, import or removal left: scratch files and layer directories
   * with no repository row. Call once at startup, before serving requests.
   */
  public void removeLeftovers() {
    scratch.clear();
    layers.removeLeftovers();
  }

  /**
   * Loads a docker-save archive or an OCI image-layout archive, streamed.
   *
   * @param progress receives human-readable progress lines as work is done
   * @throws dev.berth.core.error.InvalidArgumentException for a malformed archive or a tar entry that escapes
   */
  public List<LoadedImage> load(InputStream archive, Consumer<String> progress) {
    Consumer<String> out = progress == null ? s -> {} : progress;
    // The upload is spooled before taking the lock, so a slow client does not hold up removals.
    try (ArchiveSpool spool = ArchiveSpool.read(archive, scratch); var _ = layers.adding()) {
      var loaded = new ArrayList<LoadedImage>();
      // A spooled file is moved into the blob store on first use; later uses go by its digest.
      Map<Path, Digest> adopted = new HashMap<>();
      for (ArchiveReader.ArchiveImage a : ArchiveReader.read(spool, platform)) {
        ImageId id = store(a, spool, adopted);
        Instant now = clock.instant();
        for (ImageReference tag : a.tags()) {
          repo.findByReference(tag).filter(prev -> !prev.id().equals(id)).ifPresent(prev -> out.accept(
              "The image " + tag.familiar() + " already exists, renaming the old one with ID " + prev.id()
                  + " to empty string"));
          repo.tag(tag, id, now);
          out.accept("Loaded image: " + tag.familiar());
        }
        if (a.tags().isEmpty()) {
          out.accept("Loaded image ID: " + id);
        }
        loaded.add(new LoadedImage(id, a.tags()));
        announce("load", id, a.tags().isEmpty() ? id.toString() : a.tags().getFirst().familiar());
      }
      return loaded;
    }
  }

  private ImageId store(ArchiveReader.ArchiveImage a, ArchiveSpool spool, Map<Path, Digest> adopted) {
    ImageConfig config = ImageConfigCodec.parse(a.config());
    ImageId id = new ImageId(Digest.of(a.config()));
    if (!config.os().isEmpty() && !config.os().equals(platform.os())) {
      throw new InvalidArgumentException("cannot load " + config.os() + " image on " + platform.os());
    }
    if (a.layers().size() != config.diffIds().size()) {
      throw new InvalidArgumentException("invalid manifest, layers length mismatch: expected " + a.layers().size()
          + ", got " + config.diffIds().size());
    }
    ChainId parent = null;
    long size = 0;
    for (int i = 0; i < a.layers().size(); i++) {
      Digest diffId = config.diffIds().get(i);
      ChainId chain = ChainId.of(parent, diffId);
      Layer layer = layers.find(chain).orElse(null);
      if (layer == null) {
        ArchiveReader.ArchiveLayer al = a.layers().get(i);
        Path file = spool.file(al.path())
            .orElseThrow(() -> new InvalidArgumentException("invalid archive: missing layer " + al.path()));
        Digest blob = adopted.get(file);
        if (blob == null) {
          blob = blobs.adopt(file, al.expected());
          adopted.put(file, blob);
        } else if (al.expected() != null && !al.expected().equals(blob)) {
          throw new InvalidArgumentException("digest mismatch: expected " + al.expected() + ", got " + blob);
        }
        String mediaType = Compression.of(blobs.path(blob)).layerMediaType();
        layer = layers.register(parent, diffId, blob, mediaType);
      }
      size += layer.size();
      parent = chain;
    }
    blobs.put(a.config());
    repo.insert(id, config, size, clock.instant());
    return id;
  }

  /**
   * Makes a one-layer image from a root filesystem tar ({@code docker import}).
   *
   * @param tag where to point the new image, or null
   * @param changes Dockerfile instructions applied to the config (CMD, ENTRYPOINT, ENV, EXPOSE,
   *     LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)
   */
  public ImageId importRootfs(InputStream rootfsTar, ImageReference tag, List<String> changes, String message) {
    // Refuse bad arguments before reading what may be a large upload.
    ImageReference ref = tag == null ? null : ImageNames.importTag(tag);
    ImageRunConfig run = ImageChanges.apply(ImageRunConfig.EMPTY, changes);
    String comment = message == null || message.isEmpty() ? IMPORT_COMMENT : message;
    Path upload = spool(rootfsTar);
    try (var _ = layers.adding()) {
      Digest blob = blobs.adopt(upload, null);
      Layer layer = layers.register(null, null, blob, Compression.of(blobs.path(blob)).layerMediaType());
      Instant now = clock.instant();
      // As moby's ImportImage: the message is both the image comment and its only history entry's.
      var config = new ImageConfig(platform.architecture(), platform.os(), platform.variant(), now, "", comment, "",
          run, List.of(layer.diffId()), List.of(new HistoryEntry(now, "", "", comment, false)));
      byte[] bytes = ImageConfigCodec.write(config);
      ImageId id = new ImageId(blobs.put(bytes));
      repo.insert(id, ImageConfigCodec.parse(bytes), layer.size(), now);
      if (ref != null) {
        repo.tag(ref, id, now);
      }
      announce("import", id, id.toString());
      return id;
    } finally {
      FileTrees.delete(upload);
    }
  }

  private void announce(String action, ImageId id, String name) {
    events.publish(EngineEvent.Type.IMAGE, action, id.toString(), Map.of("name", name));
  }

  /** untag for each reference removed, delete for each image (not layer) deleted, as dockerd reports. */
  private void announce(List<ImageDeletion> records, Set<String> imageIds) {
    for (ImageDeletion d : records) {
      switch (d) {
        case ImageDeletion.Untagged u -> events.publish(EngineEvent.Type.IMAGE, "untag", u.reference(),
            Map.of("name", u.reference()));
        case ImageDeletion.Deleted del -> {
          if (imageIds.contains(del.id())) {
            events.publish(EngineEvent.Type.IMAGE, "delete", del.id(), Map.of("name", del.id()));
          }
        }
      }
    }
  }

  /** Writes a layer tar (uncompressed) for {@link #commit}. */
  @FunctionalInterface
  public interface LayerSource {
    void writeTo(OutputStream out) throws IOException;
  }

  /** What {@link #commit} records about the new image. */
  public record CommitInfo(ImageRunConfig config, List<String> changes, String author, String comment,
      String createdBy, ImageReference tag) {}

  /**
   * {@code docker commit}: an image made of {@code parent}'s layers and one more, written by
   * {@code layer} (moby image.NewChildImage). A layer with no entries adds no layer, only a
   * history step marked empty. The layer is spooled to scratch space and the image is inserted
   * only once its layer is complete and registered, so a crash leaves nothing an image points at.
   *
   * @throws NotFoundException if the parent image is gone
   */
  public ImageId commit(ImageId parent, LayerSource layer, CommitInfo info) {
    // A build's first step on FROM scratch has no parent: the image starts with this layer.
    Image base = parent == null ? null
        : repo.find(parent).orElseThrow(() -> new NotFoundException("No such image: " + parent));
    // Refuse bad arguments before the (possibly large) diff is written.
    ImageRunConfig run = ImageChanges.apply(info.config(), info.changes());
    ImageReference ref = info.tag() == null ? null : ImageNames.importTag(info.tag());
    Path tar = scratch.newFile("commit-");
    try {
      try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tar), 1 << 16)) {
        layer.writeTo(out);
      }
      try (var _ = layers.adding()) {
        Digest diffId = blobs.adopt(tar, null);
        boolean empty = diffId.equals(EMPTY_LAYER);
        ImageConfig parentConfig = base == null ? new ImageConfig(platform.architecture(), platform.os(),
            platform.variant(), null, "", "", "", ImageRunConfig.EMPTY, List.of(), List.of()) : base.config();
        var diffIds = new ArrayList<>(parentConfig.diffIds());
        long size = base == null ? 0 : base.size();
        if (!empty) {
          List<ChainId> chain = base == null ? List.of() : base.chainIds();
          Layer added = layers.register(chain.isEmpty() ? null : chain.getLast(), diffId, diffId, MediaTypes.OCI_LAYER);
          diffIds.add(added.diffId());
          size += added.size();
        }
        Instant now = clock.instant();
        var history = new ArrayList<>(parentConfig.history());
        history.add(new HistoryEntry(now, info.createdBy(), info.author(), info.comment(), empty));
        var config = new ImageConfig(parentConfig.architecture(), parentConfig.os(), parentConfig.variant(), now,
            info.author(), info.comment(), "", run, diffIds, history);
        byte[] bytes = ImageConfigCodec.write(config);
        ImageId id = new ImageId(blobs.put(bytes));
        repo.insert(id, ImageConfigCodec.parse(bytes), size, now);
        if (ref != null) {
          repo.tag(ref, id, now);
        }
        return id;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      FileTrees.delete(tar);
    }
  }

  /**
   * An image made of {@code config} over layers the engine already has (moby's cache
   * restoreCachedImage, for a build step found in a {@code --cache-from} image); an image with
   * the same ID is kept as it is.
   *
   * @throws NotFoundException if one of its layers is gone
   */
  public ImageId restore(ImageConfig config) {
    try (var _ = layers.adding()) {
      long size = 0;
      for (ChainId chain : ChainId.chain(config.diffIds())) {
        size += layers.find(chain).orElseThrow(() -> new NotFoundException("layer does not exist: " + chain)).size();
      }
      byte[] bytes = ImageConfigCodec.write(config);
      ImageId id = new ImageId(blobs.put(bytes));
      repo.insert(id, ImageConfigCodec.parse(bytes), size, clock.instant());
      return id;
    }
  }

  /** The diffID of a tar with no entries (1024 zero bytes): moby's layer.EmptyLayer. */
  static final Digest EMPTY_LAYER =
      Digest.parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

  /** Reads an upload into scratch space before any lock is taken: the client may be slow. */
  private Path spool(InputStream in) {
    Path file = scratch.newFile("upload-");
    try (var out = Files.newOutputStream(file)) {
      in.transferTo(out);
      return file;
    } catch (IOException e) {
      FileTrees.delete(file);
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The images that pass {@code filter}, newest first. With a reference filter each image carries
   * only the references that matched, as {@code docker images busybox} shows only busybox rows.
   * Label filters must all match, as in moby.
   *
   * @throws NotFoundException if {@code before} or {@code since} names no image
   */
  public List<Image> list(ImageFilter filter) {
    return ImageListing.filter(repo.list(), filter, names::find);
  }

  /**
   * @throws NotFoundException {@code No such image: <name>}, the name as moby prints it (a bare
   *     repository gets ":latest")
   * @throws InvalidArgumentException if the name is no valid reference
   */
  public Image find(String nameOrId) {
    return names.find(nameOrId);
  }

  /** {@code docker history}: newest step first; only the top row has the image's ID and tags. */
  public List<HistoryItem> history(String nameOrId) {
    Image img = find(nameOrId);
    List<ChainId> chain = img.chainIds();
    var items = new ArrayList<HistoryItem>();
    int layer = 0;
    for (HistoryEntry h : img.config().history()) {
      long size = 0;
      if (!h.emptyLayer()) {
        if (layer >= chain.size()) {
          throw new InternalException("too many non-empty layers in History section");
        }
        size = layers.find(chain.get(layer)).map(Layer::size).orElse(0L);
        layer++;
      }
      items.addFirst(new HistoryItem("<missing>", h.created(), h.createdBy(), List.of(), size, h.comment()));
    }
    if (!items.isEmpty()) {
      HistoryItem top = items.getFirst();
      List<String> tags = img.tags().stream().map(ImageReference::familiar).toList();
      items.set(0, new HistoryItem(img.id().toString(), top.created(), top.createdBy(), tags, top.size(), top.comment()));
    }
    return items;
  }

  /** Points {@code repository:tag} (tag defaults to latest) at the image {@code source} names. */
  public void tag(String source, String repository, String tag) {
    ImageReference ref = ImageNames.repoTag(repository, tag);
    try (var _ = layers.adding()) {
      ImageId id = find(source).id();
      repo.tag(ref, id, clock.instant());
      announce("tag", id, ref.familiar());
    }
  }

  /**
   * Untags and, once nothing refers to it, deletes ({@code docker rmi}).
   *
   * @param noPrune dockerd's flag to keep untagged parent images; images here have no parent
   *     images (layers are shared by chain ID instead), so it changes nothing and layers no
   *     image uses are always released, as in dockerd
   * @throws dev.berth.core.error.ConflictException with moby's wording when a container or other references block it
   */
  public List<ImageDeletion> remove(String nameOrId, boolean force, boolean noPrune) {
    try (var _ = layers.removing()) {
      Image image = find(nameOrId);
      List<ImageDeletion> records = removal.remove(image, nameOrId, force, true);
      announce(records, Set.of(image.id().toString()));
      return records;
    }
  }

  /** What an image prune deleted (untagged references, images, layers) and the layer bytes freed. */
  public record PruneResult(List<ImageDeletion> deleted, long spaceReclaimed) {}

  /**
   * {@code docker image prune} (moby ImagesPrune): dangling images, or with {@code danglingOnly}
   * false every image; images containers use are kept (their removal conflicts and is skipped).
   */
  public PruneResult prune(boolean danglingOnly, PruneFilter filter) {
    try (var _ = layers.removing()) {
      Map<ChainId, Long> sizes = new HashMap<>();
      for (Image img : repo.list()) {
        img.chainIds().forEach(ch -> layers.find(ch).ifPresent(l -> sizes.put(ch, l.size())));
      }
      repo.unusedLayers().forEach(l -> sizes.put(l.chainId(), l.size()));
      var records = new ArrayList<ImageDeletion>();
      Set<String> imageIds = repo.list().stream().map(i -> i.id().toString()).collect(Collectors.toSet());
      for (Image listed : repo.list()) {
        Instant created = listed.config().created();
        if (filter.until() != null && created == null
            || !filter.matches(listed.config().config().labels(), created)) {
          continue;
        }
        List<ImageReference> refs = ImageRemoval.references(listed);
        try {
          if (refs.isEmpty()) {
            records.addAll(removal.remove(listed, listed.id().digest().hex(), false, true));
            continue;
          }
          boolean hasTag = refs.stream().anyMatch(r -> r.digest() == null);
          if (danglingOnly && hasTag) {
            continue;
          }
          for (ImageReference r : refs) {
            Optional<Image> now = repo.find(listed.id());
            if (now.isEmpty()) {
              break;
            }
            records.addAll(removal.remove(now.get(), r.toString(), false, true));
          }
        } catch (dev.berth.core.error.ConflictException | NotFoundException e) {
          // In use by a container, or gone meanwhile: prune leaves it, as dockerd does.
        }
      }
      announce(records, imageIds);
      long reclaimed = 0;
      for (ImageDeletion d : records) {
        if (d instanceof ImageDeletion.Deleted del && Digest.isDigest(del.id())) {
          reclaimed += sizes.getOrDefault(new ChainId(Digest.parse(del.id())), 0L);
        }
      }
      return new PruneResult(records, reclaimed);
    }
  }

  /**
   * Disk use of images for {@code system df}.
   *
   * @param layersSize bytes of every extracted layer, each counted once however many images share it
   * @param sharedSize per image, bytes of its layers that other images use too
   */
  public record DiskUsage(long layersSize, Map<ImageId, Long> sharedSize) {}

  public DiskUsage diskUsage() {
    try (var _ = layers.adding()) {
      Map<ChainId, Long> sizes = new HashMap<>();
      Map<ChainId, Integer> users = new HashMap<>();
      List<Image> all = repo.list();
      for (Image img : all) {
        for (ChainId ch : new java.util.LinkedHashSet<>(img.chainIds())) {
          layers.find(ch).ifPresent(l -> sizes.put(ch, l.size()));
          users.merge(ch, 1, Integer::sum);
        }
      }
      repo.unusedLayers().forEach(l -> sizes.put(l.chainId(), l.size()));
      var shared = new HashMap<ImageId, Long>();
      for (Image img : all) {
        long s = 0;
        for (ChainId ch : new java.util.LinkedHashSet<>(img.chainIds())) {
          if (users.getOrDefault(ch, 0) > 1) {
            s += sizes.getOrDefault(ch, 0L);
          }
        }
        shared.put(img.id(), s);
      }
      return new DiskUsage(sizes.values().stream().mapToLong(Long::longValue).sum(), shared);
    }
  }

  /**
   * Writes a docker-save archive (also a valid OCI image layout) of the named images. An ID saves
   * the image untagged, {@code repo:tag} with that tag, a bare repository with all its tags.
   */
  public void save(List<String> namesOrIds, OutputStream out) {
    try (var _ = layers.adding()) {
      Map<ImageId, ArchiveWriter.SavedImage> chosen = new LinkedHashMap<>();
      for (String name : namesOrIds) {
        names.forSave(name).forEach((id, n) -> chosen.merge(id, n, (a, b) -> new ArchiveWriter.SavedImage(a.image(),
            Stream.concat(a.tags().stream(), b.tags().stream()).distinct().toList())));
      }
      new ArchiveWriter(blobs, layers, scratch).write(List.copyOf(chosen.values()), out);
    }
  }

  /** The extracted layer directories of an image, topmost first, for an overlay's lowerdir. */
  public List<Path> layerDirs(ImageId id) {
    return layerDirs.computeIfAbsent(id, k -> {
      Image img = repo.find(k).orElseThrow(() -> new NotFoundException("No such image: " + k));
      return img.chainIds().reversed().stream().map(layers::diffDir).toList();
    });
  }
}
