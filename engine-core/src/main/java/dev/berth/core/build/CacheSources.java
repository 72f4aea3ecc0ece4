package dev.berth.core.build;

import dev.berth.core.image.Digest;
import dev.berth.core.image.HistoryEntry;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageRunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The images named by {@code --cache-from} (moby image/cache ImageCache): a step is a hit when a
 * source's history and layers begin with the parent's and its next history entry was made by the
 * step's command. If that entry is the source's last, the step's image is the source itself;
 * otherwise an image is made of the parent and that entry (and its layer, if any). Once a step
 * has been restored from one source, the rest of the stage follows that source only. With
 * sources, a hit in berth's own cache counts only on the way to one of them, as dockerd accepts a
 * local hit only when it is a source's ancestor.
 */
final class CacheSources {

  /**
   * A hit.
   *
   * @param source the source it came from
   * @param restored the image to make, or null when the hit is {@code source} itself
   */
  record Match(Image source, ImageConfig restored) {}

  private List<Image> sources;

  CacheSources(List<Image> sources) {
    this.sources = List.copyOf(sources);
  }

  /** Whether some source begins with {@code hit}'s history and layers (or is it). */
  boolean leadsTo(ImageConfig hit) {
    for (Image s : sources) {
      ImageConfig c = s.config();
      if (c.history().size() >= hit.history().size() && c.diffIds().size() >= hit.diffIds().size()
          && c.history().subList(0, hit.history().size()).equals(hit.history())
          && c.diffIds().subList(0, hit.diffIds().size()).equals(hit.diffIds())) {
        return true;
      }
    }
    return false;
  }

  /**
   * @param parent the image the step starts from, null for scratch
   * @param createdBy the history command the step would record
   * @param config the run config the step commits, for a restored image
   */
  Optional<Match> match(ImageConfig parent, String createdBy, ImageRunConfig config) {
    int n = parent == null ? 0 : parent.history().size();
    for (Image target : sources) {
      ImageConfig t = target.config();
      if (!validParent(t, parent) || !t.history().get(n).createdBy().equals(createdBy)) {
        continue;
      }
      if (t.history().size() - 1 == n) {
        return Optional.of(new Match(target, null));
      }
      Optional<Optional<Digest>> layer = layerAt(t, n);
      if (layer.isEmpty()) {
        continue;
      }
      HistoryEntry entry = t.history().get(n);
      var history = new ArrayList<HistoryEntry>(parent == null ? List.of() : parent.history());
      history.add(entry);
      var diffIds = new ArrayList<Digest>(parent == null ? List.of() : parent.diffIds());
      layer.get().ifPresent(diffIds::add);
      var restored = new ImageConfig(t.architecture(), t.os(), t.variant(), entry.created(), t.author(), "", "",
          config, diffIds, history);
      sources = List.of(target);
      return Optional.of(new Match(target, restored));
    }
    return Optional.empty();
  }

  /**
   * moby isValidParent: the image has history, and the parent's history and layers (if it has any)
   * are a strict prefix of the image's.
   */
  static boolean validParent(ImageConfig img, ImageConfig parent) {
    if (img.history().isEmpty()) {
      return false;
    }
    if (parent == null || parent.history().isEmpty() && parent.diffIds().isEmpty()) {
      return true;
    }
    if (parent.history().size() >= img.history().size() || parent.diffIds().size() > img.diffIds().size()) {
      return false;
    }
    return img.history().subList(0, parent.history().size()).equals(parent.history())
        && img.diffIds().subList(0, parent.diffIds().size()).equals(parent.diffIds());
  }

  /**
   * The layer the history entry at {@code index} made: an empty inner optional for an empty-layer
   * entry, an empty outer one when the image has fewer layers than its history says.
   */
  static Optional<Optional<Digest>> layerAt(ImageConfig img, int index) {
    if (img.history().get(index).emptyLayer()) {
      return Optional.of(Optional.empty());
    }
    int layer = 0;
    for (int i = 0; i < index; i++) {
      if (!img.history().get(i).emptyLayer()) {
        layer++;
      }
    }
    return layer < img.diffIds().size() ? Optional.of(Optional.of(img.diffIds().get(layer))) : Optional.empty();
  }
}
