package dev.berth.server.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.image.Digest;
import dev.berth.core.image.distribution.Distribution;
import dev.berth.core.image.HistoryItem;
import dev.berth.core.image.Platform;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageDeletion;
import dev.berth.core.image.ImageFilter;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import dev.berth.server.api.WireTime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Docker JSON to domain and back, for images. Pure. */
public final class ImageTranslator {

  private static final Set<String> LIST_FILTERS = Set.of("reference", "dangling", "label", "before", "since");

  private ImageTranslator() {}

  static ImageFilter filter(Filters f) {
    f.only(LIST_FILTERS);
    return new ImageFilter(f.get("reference"), dangling(f.get("dangling")), f.get("label"), first(f.get("before")),
        first(f.get("since")));
  }

  /**
   * moby's {@code Args.GetBoolOrDefault}: only true/1 and false/0, case-sensitive; none of them, or
   * both meanings at once, is {@code invalid filter 'dangling=[v ...]'}.
   */
  private static Boolean dangling(List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    boolean isTrue = values.contains("true") || values.contains("1");
    boolean isFalse = values.contains("false") || values.contains("0");
    if (isTrue == isFalse) {
      throw new InvalidArgumentException("invalid filter 'dangling=[" + String.join(" ", values) + "]'");
    }
    return isTrue;
  }

  /**
   * moby's postImagesCreate: {@code fromImage} is a reference; a non-empty {@code tag} replaces
   * its tag, or is a digest ({@code sha256:...}, as the CLI sends a pull by digest).
   *
   * @throws InvalidArgumentException with Docker's wording for an invalid reference
   */
  static ImageReference pullReference(String fromImage, String tag) {
    ImageReference ref = ImageReference.parse(fromImage);
    if (tag.isEmpty()) {
      return ref.withDefaultTag();
    }
    if (Digest.isDigest(tag)) {
      return ref.withDigest(Digest.parse(tag));
    }
    if (!ImageReference.isValidTag(tag)) {
      throw new InvalidArgumentException("invalid reference format");
    }
    return ref.withTag(tag);
  }

  /** The {@code platform} parameter; empty means this machine's. */
  static Platform platform(String spec) {
    return spec.isBlank() ? null : Platform.parse(spec.strip());
  }

  static ImageJson.Summary summary(Image i) {
    return summary(i, -1, -1);
  }

  /**
   * An image as the list shows it; {@code system df} also fills in the bytes shared with other
   * images and how many containers use it (-1 where not computed, as dockerd writes).
   */
  public static ImageJson.Summary summary(Image i, long sharedSize, long containers) {
    Instant created = i.config().created();
    Map<String, String> labels = i.config().config().labels();
    return new ImageJson.Summary(i.id().toString(), "", tags(i), repoDigests(i),
        created == null ? 0 : created.getEpochSecond(), i.size(), sharedSize, labels.isEmpty() ? null : labels,
        containers);
  }

  /** moby's imagesAcceptedFilters for prune, and its dangling default: true unless said otherwise. */
  static boolean pruneDanglingOnly(List<String> values) {
    Boolean d = dangling(values);
    return d == null || d;
  }

  static ImageJson.Inspect inspect(Image i, List<Path> layers) {
    ImageConfig c = i.config();
    var data = new LinkedHashMap<String, String>();
    if (!layers.isEmpty()) {
      data.put("MergedDir", "");
      data.put("UpperDir", layers.getFirst().toString());
      data.put("WorkDir", "");
      if (layers.size() > 1) {
        data.put("LowerDir", layers.subList(1, layers.size()).stream().map(Path::toString).collect(Collectors.joining(":")));
      }
    }
    return new ImageJson.Inspect(
        i.id().toString(), tags(i), repoDigests(i), "", c.comment(),
        c.created() == null ? "" : time(c.created()), c.dockerVersion(), c.author(), config(c.config()),
        c.architecture(), c.variant().isEmpty() ? null : c.variant(), c.os(), i.size(),
        new ImageJson.GraphDriver("overlay2", data),
        new ImageJson.RootFS("layers", c.diffIds().stream().map(Object::toString).toList()),
        new ImageJson.Metadata(i.lastTagTime() == null ? "0001-01-01T00:00:00Z" : time(i.lastTagTime())));
  }

  static ImageJson.HistoryItem history(HistoryItem h) {
    return new ImageJson.HistoryItem(h.id(), h.created() == null ? 0 : h.created().getEpochSecond(), h.createdBy(),
        h.tags().isEmpty() ? null : h.tags(), h.size(), h.comment());
  }

  static ImageJson.DeleteResponseItem deletion(ImageDeletion d) {
    return switch (d) {
      case ImageDeletion.Untagged u -> new ImageJson.DeleteResponseItem(u.reference(), null);
      case ImageDeletion.Deleted x -> new ImageJson.DeleteResponseItem(null, x.id());
    };
  }

  private static ImageJson.Config config(ImageRunConfig c) {
    var h = c.healthcheck();
    return new ImageJson.Config(c.user(), c.exposedPorts().isEmpty() ? null : Json.set(c.exposedPorts()), c.env(), c.cmd(),
        h == null ? null : new ImageJson.HealthConfig(h.test(), h.interval(), h.timeout(), h.startPeriod(),
            h.startInterval(), h.retries()),
        c.argsEscaped() ? true : null, c.volumes().isEmpty() ? null : Json.set(c.volumes()), c.workingDir(),
        c.entrypoint(), c.onBuild(), c.labels().isEmpty() ? null : c.labels(),
        c.stopSignal().isEmpty() ? null : c.stopSignal(), c.shell());
  }

  /** RepoTags: tag references only; a digest reference is a repo digest in Docker's answers. */
  private static List<String> tags(Image i) {
    return i.tags().stream().filter(r -> r.digest() == null).map(ImageReference::familiar).sorted().toList();
  }

  /** RepoDigests as dockerd shows them, familiar ({@code busybox@sha256:...}), from pulls, pushes and digest tags. */
  static List<String> repoDigests(Image i) {
    var out = new java.util.TreeSet<String>();
    i.tags().stream().filter(r -> r.digest() != null).map(ImageReference::familiar).forEach(out::add);
    for (String d : i.repoDigests()) {
      out.add(ImageReference.tryParse(d).map(ImageReference::familiar).orElse(d));
    }
    return List.copyOf(out);
  }

  private static String first(List<String> l) {
    return l.isEmpty() ? null : l.getLast();
  }

  private static String time(Instant t) {
    return WireTime.format(t);
  }

  /** {@code GET /distribution/{name}/json}'s answer: the manifest's OCI descriptor and its platforms. */
  record DistributionJson(DescriptorJson Descriptor, List<PlatformJson> Platforms) {}

  record DescriptorJson(String mediaType, String digest, long size) {}

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record PlatformJson(String architecture, String os, String variant) {}

  static DistributionJson distribution(Distribution d) {
    return new DistributionJson(new DescriptorJson(d.mediaType(), d.digest().toString(), d.size()),
        d.platforms().stream().map(p -> new PlatformJson(p.architecture(), p.os(), p.variant())).toList());
  }
}
