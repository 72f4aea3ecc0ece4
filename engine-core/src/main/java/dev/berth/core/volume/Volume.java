package dev.berth.core.volume;

import java.time.Instant;
import java.util.Map;

/**
 * A volume as the engine records it. Only dockerd's {@code local} driver exists here.
 *
 * @param labels user labels; anonymous volumes carry {@link #ANONYMOUS_LABEL}
 * @param options the local driver's {@code type}, {@code device} and {@code o}; empty for a plain
 *     directory. A volume with options is mounted while containers use it.
 */
public record Volume(VolumeName name, String driver, Map<String, String> labels, LocalOptions options,
    Instant createdAt) {

  public static final String LOCAL = "local";
  /** moby's volume/service AnonymousLabel: set on volumes created without a name. */
  public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";

  public Volume {
    driver = driver == null || driver.isEmpty() ? LOCAL : driver;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    options = options == null ? LocalOptions.NONE : options;
  }

  public boolean anonymous() {
    return labels.containsKey(ANONYMOUS_LABEL);
  }
}
