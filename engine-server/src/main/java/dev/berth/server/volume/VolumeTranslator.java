package dev.berth.server.volume;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeFilter;
import dev.berth.server.api.ApiVersion;
import dev.berth.server.api.Filters;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

/** Docker's volume JSON to the domain and back. Pure. */
public final class VolumeTranslator {

  private static final Set<String> LIST_FILTERS = Set.of("dangling", "name", "driver", "label");
  private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX")
      .withZone(ZoneOffset.UTC);

  private VolumeTranslator() {}

  static VolumeFilter filter(Filters f) {
    f.only(LIST_FILTERS);
    return new VolumeFilter(f.get("name"), f.get("label"), bool("dangling", f.get("dangling")), f.get("driver"));
  }

  /**
   * The volume as inspect, list and create show it. CreatedAt is Go's time.RFC3339 (seconds);
   * labels and options are null when there are none, as for a volume {@code -v} made.
   *
   * @param usage size and reference count, only for {@code system df}; null elsewhere
   */
  public static VolumeJson.Volume volume(Volume v, Path mountpoint, VolumeJson.UsageData usage) {
    return new VolumeJson.Volume(RFC3339.format(v.createdAt().truncatedTo(ChronoUnit.SECONDS)), v.driver(),
        v.labels().isEmpty() ? null : v.labels(), mountpoint.toString(), v.name().value(),
        v.options().isEmpty() ? null : v.options().raw(), "local", usage);
  }

  public static VolumeJson.UsageData usage(long size, long refCount) {
    return new VolumeJson.UsageData(size, refCount);
  }

  /** The {@code all} prune filter in a request of API {@code version}: see {@link #pruneAll(List, boolean)}. */
  static boolean pruneAll(List<String> values, ApiVersion version) {
    return pruneAll(values, !version.atLeast(1, 42));
  }

  /**
   * The {@code all} prune filter (moby withPrune): strconv.ParseBool's words. API before 1.42
   * pruned named volumes too: dockerd adds {@code all=true} to such a request's filters, so an
   * old request with another {@code all} value has two, and is refused.
   */
  static boolean pruneAll(List<String> values, boolean oldApi) {
    if (oldApi) {
      var withAll = new java.util.LinkedHashSet<>(values);
      withAll.add("true");
      values = List.copyOf(withAll);
    }
    if (values.size() > 1) {
      throw new InvalidArgumentException("invalid filter 'all=[" + String.join(" ", values) + "]': only one value is expected");
    }
    if (values.isEmpty()) {
      return oldApi;
    }
    return switch (values.getFirst()) {
      case "1", "t", "T", "TRUE", "true", "True" -> true;
      case "0", "f", "F", "FALSE", "false", "False" -> oldApi;
      default -> throw new InvalidArgumentException("invalid filter 'all': strconv.ParseBool: parsing \""
          + values.getFirst() + "\": invalid syntax");
    };
  }

  /** moby's Args.GetBoolOrDefault, as the image list reads dangling. */
  private static Boolean bool(String key, List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    boolean isTrue = values.contains("true") || values.contains("1");
    boolean isFalse = values.contains("false") || values.contains("0");
    if (isTrue == isFalse) {
      throw new InvalidArgumentException("invalid filter '" + key + "=[" + String.join(" ", values) + "]'");
    }
    return isTrue;
  }

}
