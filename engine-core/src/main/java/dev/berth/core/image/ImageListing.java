package dev.berth.core.image;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code GET /images/json} filtering and order, as moby's daemon/images/image_list.go does it. */
final class ImageListing {

  /** moby orders by the config's created time; load order breaks ties, so the order is total. */
  static final Comparator<Image> ORDER = Comparator
      .comparing((Image i) -> i.config().created() == null ? Instant.EPOCH : i.config().created())
      .thenComparing(Image::loaded);

  private ImageListing() {}

  /**
   * The images of {@code all} that pass {@code filter}, newest first. With a reference filter each
   * image carries only the references that matched, as {@code docker images busybox} shows only
   * busybox rows.
   *
   * @param find resolves {@code before} and {@code since}
   */
  static List<Image> filter(List<Image> all, ImageFilter filter, Function<String, Image> find) {
    List<ReferenceGlob> globs = filter.references().stream().map(ReferenceGlob::new).toList();
    Image before = filter.before() == null ? null : find.apply(filter.before());
    Image since = filter.since() == null ? null : find.apply(filter.since());
    var out = new ArrayList<Image>();
    for (Image img : all) {
      if ((before != null && ORDER.compare(img, before) >= 0) || (since != null && ORDER.compare(img, since) <= 0)) {
        continue;
      }
      if (!filter.labels().isEmpty() && !matchesLabels(img, filter.labels())) {
        continue;
      }
      List<ImageReference> tags = img.tags();
      List<String> digests = img.repoDigests();
      if (!globs.isEmpty()) {
        tags = tags.stream().filter(t -> globs.stream().anyMatch(g -> g.matches(t))).toList();
        digests = digests.stream().filter(d -> ImageReference.tryParse(d)
            .map(r -> globs.stream().anyMatch(g -> g.matches(r))).orElse(false)).toList();
      }
      if (tags.isEmpty() && digests.isEmpty()) {
        // Untagged: out with dangling=false, and with a reference filter it matched nothing.
        if (Boolean.FALSE.equals(filter.dangling()) || !globs.isEmpty()) {
          continue;
        }
      } else if (Boolean.TRUE.equals(filter.dangling()) && !tags.isEmpty()) {
        continue;
      }
      out.add(new Image(img.id(), img.config(), img.size(), img.loaded(), tags, digests, img.lastTagTime()));
    }
    out.sort(ORDER.reversed());
    return out;
  }

  /** Every label filter must match, as moby's {@code filters.MatchKVList}: {@code key} or {@code key=value}. */
  private static boolean matchesLabels(Image img, List<String> filters) {
    Map<String, String> labels = img.config().config().labels();
    for (String f : filters) {
      int eq = f.indexOf('=');
      String key = eq < 0 ? f : f.substring(0, eq);
      if (!labels.containsKey(key) || (eq >= 0 && !labels.get(key).equals(f.substring(eq + 1)))) {
        return false;
      }
    }
    return true;
  }
}
