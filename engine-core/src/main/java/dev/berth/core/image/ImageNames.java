package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Resolving what users type to images, moby's way (daemon/images/image.go GetImage): a reference
 * first, then a full ID, then a unique ID prefix; and the reference rules of tag, import and save.
 */
public final class ImageNames {

  private static final Pattern HEX = Pattern.compile("[a-f0-9]+");

  private final ImageRepository repo;

  public ImageNames(ImageRepository repo) {
    this.repo = repo;
  }

  /**
   * @throws NotFoundException {@code No such image: <name>}, the name as moby prints it (a bare
   *     repository gets ":latest")
   * @throws InvalidArgumentException if the name is no valid reference
   */
  public Image find(String nameOrId) {
    return resolve(nameOrId).orElseThrow(() -> notFound(nameOrId));
  }

  private Optional<Image> resolve(String s) {
    if (Digest.isHex64(s)) {
      return repo.find(new ImageId(new Digest(s)));
    }
    if (Digest.isDigest(s)) {
      return repo.find(ImageId.parse(s));
    }
    ImageReference ref = ImageReference.parse(s);
    Optional<Image> named = repo.findByReference(ref.digest() != null ? ref : ref.withDefaultTag());
    if (named.isPresent()) {
      return named;
    }
    String hex = s.startsWith(Digest.ALGORITHM + ":") ? s.substring(Digest.ALGORITHM.length() + 1) : s;
    if (HEX.matcher(hex).matches()) {
      List<Image> matches = repo.findByIdPrefix(hex);
      // An ambiguous prefix names nothing, as in moby's digest set lookup.
      if (matches.size() == 1) {
        return Optional.of(matches.getFirst());
      }
    }
    return Optional.empty();
  }

  private static NotFoundException notFound(String s) {
    if (Digest.isHex64(s)) {
      return new NotFoundException("No such image: " + Digest.ALGORITHM + ":" + s);
    }
    if (Digest.isDigest(s)) {
      return new NotFoundException("No such image: " + s);
    }
    ImageReference ref = ImageReference.parse(s);
    return new NotFoundException("No such image: " + (ref.digest() != null ? ref : ref.withDefaultTag()).familiar());
  }

  /**
   * moby's tarexporter parseNames: an ID saves the image untagged; {@code repo:tag} saves it with
   * that tag; a bare repository saves every tag of it, or failing that is tried as an ID prefix.
   */
  Map<ImageId, ArchiveWriter.SavedImage> forSave(String name) {
    Map<ImageId, ArchiveWriter.SavedImage> out = new LinkedHashMap<>();
    if (Digest.isHex64(name) || Digest.isDigest(name)) {
      return single(find(name), List.of());
    }
    ImageReference ref = ImageReference.parse(name);
    if (ref.familiarRepository().equals(Digest.ALGORITHM)) {
      return single(find(name), List.of());
    }
    if (ref.tag() == null && ref.digest() == null) {
      for (Image img : repo.list()) {
        List<ImageReference> tags = img.tags().stream().filter(r -> r.repository().equals(ref.repository())).toList();
        if (!tags.isEmpty()) {
          out.put(img.id(), new ArchiveWriter.SavedImage(img, tags));
        }
      }
      return out.isEmpty() ? single(find(name), List.of()) : out;
    }
    Image img = repo.findByReference(ref).orElseThrow(() -> new NotFoundException("No such image: " + ref.familiar()));
    return single(img, ref.digest() != null ? List.of() : List.of(ref));
  }

  private static Map<ImageId, ArchiveWriter.SavedImage> single(Image img, List<ImageReference> tags) {
    Map<ImageId, ArchiveWriter.SavedImage> out = new LinkedHashMap<>();
    out.put(img.id(), new ArchiveWriter.SavedImage(img, tags));
    return out;
  }

  /** moby's httputils.RepoTagReference: a tag in the repository is replaced by an explicit tag. */
  static ImageReference repoTag(String repository, String tag) {
    if (repository == null || repository.isEmpty()) {
      throw new InvalidArgumentException("repository name must have at least one component");
    }
    ImageReference ref = ImageReference.parse(repository);
    if (ref.digest() != null) {
      throw new InvalidArgumentException("cannot import digest reference");
    }
    ref = tag == null || tag.isEmpty() ? ref.withDefaultTag() : ref.withTag(tag);
    if (ref.familiarRepository().equals(Digest.ALGORITHM)) {
      throw new InvalidArgumentException("refusing to create an ambiguous tag using digest algorithm as name");
    }
    return ref;
  }

  static ImageReference importTag(ImageReference tag) {
    if (tag.digest() != null) {
      throw new InvalidArgumentException("cannot import digest reference");
    }
    return tag.withDefaultTag();
  }
}
