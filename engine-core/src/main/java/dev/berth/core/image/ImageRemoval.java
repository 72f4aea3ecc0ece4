package dev.berth.core.image;

import dev.berth.core.error.ConflictException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code docker rmi}, following moby's daemon/images/image_delete.go (v28) rule for rule and word
 * for word: removing by reference untags first and deletes the image only once nothing refers to
 * it; removing by ID deletes the image if its references allow it. A running container blocks
 * deletion even when forced ("hard" conflict); a stopped one or other references block it unless
 * forced ("soft"). Images loaded here have no parent images, so moby's parent pruning has no
 * counterpart: {@code prune} decides instead whether layers no image uses are deleted now.
 */
final class ImageRemoval {

  private record Conflict(boolean hard, boolean used, String message) {}

  private final ImageRepository repo;
  private final BlobStore blobs;
  private final LayerStore layers;
  private final ImageUsage usage;
  private final java.util.function.Consumer<ImageId> removed;

  /** @param removed told of each image whose row is gone, after its deletion */
  ImageRemoval(ImageRepository repo, BlobStore blobs, LayerStore layers, ImageUsage usage,
      java.util.function.Consumer<ImageId> removed) {
    this.repo = repo;
    this.blobs = blobs;
    this.layers = layers;
    this.usage = usage;
    this.removed = removed;
  }

  List<ImageDeletion> remove(Image img, String nameOrId, boolean force, boolean prune) {
    ImageId id = img.id();
    var records = new ArrayList<ImageDeletion>();
    List<ImageReference> refs = references(img);
    boolean removedRepositoryRef = false;
    if (!isImageIdPrefix(id, nameOrId)) {
      // Untagging the last reference of an image a container uses would leave a dangling image
      // behind; Docker wants that forced.
      if (!force && isSingleReference(refs)) {
        Optional<String> ctr = usage.containerUsing(id, false);
        if (ctr.isPresent()) {
          throw new ConflictException("conflict: unable to remove repository reference " + LayerExtractor.quote(nameOrId)
              + " (must force) - container " + truncate(ctr.get()) + " is using its referenced image " + id.shortId());
        }
      }
      ImageReference parsed = ImageReference.parse(nameOrId);
      ImageReference ref = parsed.digest() != null ? parsed : parsed.withDefaultTag();
      repo.untag(ref);
      records.add(new ImageDeletion.Untagged(ref.familiar()));
      refs = current(id);
      // Untagging a repository's last tag also drops that repository's digest references.
      if (ref.digest() == null) {
        boolean tagLeft = refs.stream().anyMatch(r -> r.digest() == null && r.repository().equals(ref.repository()));
        if (!tagLeft) {
          var remaining = new ArrayList<ImageReference>();
          for (ImageReference r : refs) {
            if (r.digest() != null && r.repository().equals(ref.repository())) {
              repo.untag(r);
              records.add(new ImageDeletion.Untagged(r.familiar()));
            } else {
              remaining.add(r);
            }
          }
          refs = remaining;
        }
      }
      if (!refs.isEmpty()) {
        return records;
      }
      removedRepositoryRef = true;
    } else if (isSingleReference(refs)) {
      // By ID with one tag (plus digests of its repository): the references go with the image.
      Conflict c = conflict(id, force, false);
      if (c != null) {
        throw new ConflictException(c.message());
      }
      untagAll(id, records);
    }
    deleteImage(id, records, force, prune, removedRepositoryRef);
    return records;
  }

  /**
   * moby's imageDeleteHelper. When {@code quiet} (the image was reached by untagging its last
   * reference), a conflict keeps the image silently, unless it is a dangling image nobody uses.
   */
  private void deleteImage(ImageId id, List<ImageDeletion> records, boolean force, boolean prune, boolean quiet) {
    Conflict c = conflict(id, force, true);
    if (c != null) {
      boolean dangling = current(id).isEmpty();
      if (quiet && (!dangling || c.used())) {
        return;
      }
      throw new ConflictException(c.message());
    }
    untagAll(id, records);
    repo.delete(id);
    removed.accept(id);
    records.add(new ImageDeletion.Deleted(id.toString()));
    if (usage.containerUsing(id, false).isEmpty()) {
      blobs.delete(id.digest());
    }
    if (prune) {
      collectGarbage(records);
    }
  }

  /**
   * Deletes layers no image uses, children first, and the blobs only they referenced. Layers of
   * images that containers still use are kept even if the image itself is gone.
   */
  void collectGarbage(List<ImageDeletion> records) {
    Set<ChainId> pinned = new HashSet<>();
    Set<Digest> keepBlobs = new HashSet<>();
    for (ImageId inUse : usage.imagesInUse()) {
      if (repo.find(inUse).isEmpty() && blobs.has(inUse.digest())) {
        keepBlobs.add(inUse.digest());
        pinned.addAll(ChainId.chain(ImageConfigCodec.parse(blobs.read(inUse.digest())).diffIds()));
      }
    }
    var candidates = new ArrayList<Digest>();
    for (Layer l : repo.unusedLayers()) {
      if (pinned.contains(l.chainId())) {
        continue;
      }
      layers.delete(l);
      records.add(new ImageDeletion.Deleted(l.chainId().toString()));
      candidates.add(l.blob());
    }
    if (candidates.isEmpty()) {
      return;
    }
    // Two chains can share one blob (the same layer on different bases): keep it while any layer uses it.
    for (Image img : repo.list()) {
      img.chainIds().forEach(ch -> repo.findLayer(ch).ifPresent(l -> keepBlobs.add(l.blob())));
    }
    for (ChainId ch : pinned) {
      repo.findLayer(ch).ifPresent(l -> keepBlobs.add(l.blob()));
    }
    candidates.stream().filter(b -> !keepBlobs.contains(b)).forEach(blobs::delete);
  }

  /** moby's checkImageDeleteConflict; {@code references} adds the soft "multiple repositories" check. */
  private Conflict conflict(ImageId id, boolean force, boolean references) {
    Optional<String> running = usage.containerUsing(id, true);
    if (running.isPresent()) {
      return conflict(id, true, true, "image is being used by running container " + truncate(running.get()));
    }
    if (force) {
      return null;
    }
    if (references && !current(id).isEmpty()) {
      return conflict(id, false, false, "image is referenced in multiple repositories");
    }
    // No running container uses it (checked above), so any user is a stopped one.
    Optional<String> stopped = usage.containerUsing(id, false);
    if (stopped.isPresent()) {
      return conflict(id, false, true, "image is being used by stopped container " + truncate(stopped.get()));
    }
    return null;
  }

  private static Conflict conflict(ImageId id, boolean hard, boolean used, String message) {
    return new Conflict(hard, used, "conflict: unable to delete " + id.shortId() + " ("
        + (hard ? "cannot be forced" : "must be forced") + ") - " + message);
  }

  private void untagAll(ImageId id, List<ImageDeletion> records) {
    for (ImageReference r : current(id)) {
      repo.untag(r);
      records.add(new ImageDeletion.Untagged(r.familiar()));
    }
  }

  private List<ImageReference> current(ImageId id) {
    return repo.find(id).map(ImageRemoval::references).orElse(List.of());
  }

  /** Tags and digest references alike, as moby's reference store holds both. */
  static List<ImageReference> references(Image img) {
    var refs = new ArrayList<>(img.tags());
    for (String rd : img.repoDigests()) {
      ImageReference.tryParse(rd).ifPresent(refs::add);
    }
    return refs;
  }

  /** All references are of one repository and at most one is a tag. False for none. */
  static boolean isSingleReference(List<ImageReference> refs) {
    if (refs.size() <= 1) {
      return refs.size() == 1;
    }
    ImageReference single = null;
    Set<String> canonical = new HashSet<>();
    for (ImageReference r : refs) {
      if (r.digest() != null) {
        canonical.add(r.repository());
      } else if (single == null) {
        single = r;
      } else {
        return false;
      }
    }
    if (single == null) {
      single = refs.getFirst();
    }
    return canonical.size() == 1 && canonical.contains(single.repository());
  }

  /** What the user typed is taken as an ID when it is a prefix of the ID, with or without "sha256:". */
  static boolean isImageIdPrefix(ImageId id, String s) {
    return id.toString().startsWith(s) || id.digest().hex().startsWith(s);
  }

  private static String truncate(String containerId) {
    String s = containerId.contains(":") ? containerId.substring(containerId.indexOf(':') + 1) : containerId;
    return s.length() > 12 ? s.substring(0, 12) : s;
  }
}
