package dev.berth.core.volume;

import dev.berth.core.error.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The local driver's options ({@code docker volume create -o type=tmpfs -o device=tmpfs -o
 * o=size=100m}), checked as moby's volume/local validateOpts checks them. A volume with a type or
 * device is a filesystem mounted at its data directory while in use, rather than the directory
 * itself.
 *
 * @param raw the options exactly as given, which inspect reports back
 */
public record LocalOptions(Map<String, String> raw) {

  private static final Set<String> VALID = Set.of("type", "o", "device", "size");
  /** Each option needs the ones listed (moby mandatoryOpts), checked in this order. */
  private static final Map<String, List<String>> MANDATORY = mandatory();
  // After the tables above: the constructor reads them.
  public static final LocalOptions NONE = new LocalOptions(Map.of());

  public LocalOptions {
    raw = raw == null ? Map.of() : Map.copyOf(raw);
    for (String k : raw.keySet().stream().sorted().toList()) {
      if (!VALID.contains(k)) {
        throw new InvalidArgumentException("invalid option: \"" + k + "\"");
      }
    }
    if (raw.containsKey("size") && !raw.get("size").isEmpty() && !raw.get("size").equals("0")) {
      // dockerd needs project quotas on the data root for this; berth has none.
      throw new InvalidArgumentException("quota size requested but no quota support");
    }
    for (var e : MANDATORY.entrySet()) {
      if (raw.containsKey(e.getKey())) {
        for (String required : e.getValue()) {
          if (!raw.containsKey(required)) {
            throw new InvalidArgumentException("missing required option: \"" + required + "\"");
          }
        }
      }
    }
  }

  public boolean isEmpty() {
    return raw.isEmpty();
  }

  /** Whether the data directory is a mount point while in use (moby {@code needsMount}). */
  public boolean needsMount() {
    return !type().isEmpty() || !device().isEmpty();
  }

  public String type() {
    return raw.getOrDefault("type", "");
  }

  public String device() {
    return raw.getOrDefault("device", "");
  }

  public String mountOptions() {
    return raw.getOrDefault("o", "");
  }

  private static Map<String, List<String>> mandatory() {
    var m = new LinkedHashMap<String, List<String>>();
    m.put("device", List.of("type"));
    m.put("type", List.of("device"));
    m.put("o", List.of("device", "type"));
    return m;
  }
}
