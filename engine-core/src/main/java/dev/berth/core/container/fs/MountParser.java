package dev.berth.core.container.fs;

import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.MountType;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.GoPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads {@code -v}, {@code --mount}, {@code --tmpfs} and {@code --volumes-from} specs by moby's
 * Linux rules (volume/mounts/linux_parser.go, v28) and with its error wording, which clients show
 * as is. Pure apart from the bind-source existence check, which the caller supplies.
 */
public final class MountParser {

  static final String DEFAULT_PROPAGATION = "rprivate";
  private static final Set<String> RW_MODES = Set.of("rw", "ro");
  private static final Set<String> LABEL_MODES = Set.of("z", "Z");
  private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
  private static final Set<String> COPY_MODES = Set.of("nocopy");
  private static final Set<String> CONSISTENCY_MODES = Set.of("consistent", "cached", "delegated");
  private static final Set<String> TMPFS_OPTIONS = Set.of("exec", "noexec");

  private final Predicate<Path> exists;

  MountParser(Predicate<Path> exists) {
    this.exists = exists;
  }

  public MountParser() {
    this(p -> Files.exists(p));
  }

  /** One {@code Binds} entry (moby ParseMountRaw). Volume mounts come back without a source yet. */
  MountPoint parseBind(String raw) {
    String[] arr = raw.split(":", 4);
    if (arr[0].isEmpty()) {
      throw invalidSpec(raw);
    }
    String source = "";
    String target;
    String mode = "";
    switch (arr.length) {
      case 1 -> target = arr[0];
      case 2 -> {
        if (validMode(arr[1])) {
          // Destination plus mode is no volume: /foo:rw
          throw invalidSpec(raw);
        }
        source = arr[0];
        target = arr[1];
      }
      case 3 -> {
        source = arr[0];
        target = arr[1];
        mode = arr[2];
      }
      default -> throw invalidSpec(raw);
    }
    if (!validMode(mode)) {
      throw new InvalidArgumentException("invalid mode: " + mode);
    }
    boolean bind = source.startsWith("/");
    try {
      validateTarget(target);
      if (bind) {
        validateAbsolute(source);
      } else if (hasPropagation(mode)) {
        // moby sets BindOptions for any propagation mode, and a volume may not have them.
        throw new InvalidArgumentException("field BindOptions must not be specified");
      }
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(invalidSpec(raw).getMessage() + ": invalid mount config for type \""
          + (bind ? "bind" : "volume") + "\": " + e.getMessage());
    }
    boolean rw = readWrite(mode);
    String destination = GoPath.clean(target);
    if (bind) {
      String propagation = hasPropagation(mode) ? propagation(mode) : DEFAULT_PROPAGATION;
      return new MountPoint(MountType.BIND, null, GoPath.clean(source), destination, null, mode, rw, propagation, false, false,
          false, true, null);
    }
    boolean copy = !List.of(mode.split(",")).contains("nocopy");
    return new MountPoint(MountType.VOLUME, source.isEmpty() ? null : source, null, destination, "local",
        mode, rw, "", source.isEmpty(), copy, false, false, null);
  }

  /** One {@code HostConfig.Mounts} entry (moby ParseMountSpec, which checks that a bind source exists). */
  MountPoint parseMount(MountRequest m) {
    validate(m);
    String destination = GoPath.clean(m.target());
    return switch (m.type()) {
      case "bind" -> {
        var o = m.bindOptions();
        String propagation = o != null && !o.propagation().isEmpty() ? o.propagation() : DEFAULT_PROPAGATION;
        yield new MountPoint(MountType.BIND, null, GoPath.clean(m.source()), destination, null, "", !m.readOnly(),
            propagation, false, false, o != null && o.nonRecursive(), o != null && o.createMountpoint(), null);
      }
      case "volume" -> {
        var o = m.volumeOptions();
        boolean copy = o == null || !o.noCopy();
        yield new MountPoint(MountType.VOLUME, m.source().isEmpty() ? null : m.source(), null, destination, "local",
            "", !m.readOnly(), "", m.source().isEmpty(), copy, false, false, null);
      }
      case "tmpfs" -> new MountPoint(MountType.TMPFS, null, null, destination, null, "", !m.readOnly(), "", false,
          false, false, false, tmpfsData(m.tmpfsOptions(), m.readOnly()));
      default -> throw config(m, "mount type unknown");
    };
  }

  /** {@code container[:mode]} of {@code --volumes-from}: the container and whether its mounts stay writable. */
  record VolumesFrom(String container, boolean writable) {}

  static VolumesFrom parseVolumesFrom(String spec) {
    if (spec == null || spec.isEmpty()) {
      throw new InvalidArgumentException("volumes-from specification cannot be an empty string");
    }
    int colon = spec.indexOf(':');
    String id = colon < 0 ? spec : spec.substring(0, colon);
    String mode = colon < 0 ? "" : spec.substring(colon + 1);
    if (mode.isEmpty()) {
      return new VolumesFrom(id, true);
    }
    // Propagation and copy modes cannot be changed on inherited volumes.
    if (!validMode(mode) || hasPropagation(mode) || List.of(mode.split(",")).stream().anyMatch(COPY_MODES::contains)) {
      throw new InvalidArgumentException("invalid mode: " + mode);
    }
    return new VolumesFrom(id, readWrite(mode));
  }

  /**
   * A {@code HostConfig.Tmpfs} or {@code Config.Volumes} destination: absolute and not /
   * (moby ValidateTmpfsMountDestination).
   */
  static void validateDestination(String destination) {
    validateTarget(destination);
  }

  /**
   * The tmpfs data string of a {@code --mount type=tmpfs} (moby ConvertTmpfsOptions): the size
   * with the largest unit that divides it, the mode in octal.
   */
  static String tmpfsData(MountRequest.TmpfsOptions o, boolean readOnly) {
    var raw = new ArrayList<String>();
    if (readOnly) {
      raw.add("ro");
    }
    if (o != null && o.mode() != 0) {
      raw.add("mode=" + Integer.toOctalString(o.mode() & 07777));
    }
    if (o != null && o.sizeBytes() != 0) {
      long size = o.sizeBytes();
      String suffix = "";
      for (var unit : List.of(Map.entry("g", 1L << 30), Map.entry("m", 1L << 20), Map.entry("k", 1L << 10))) {
        if (size % unit.getValue() == 0) {
          size /= unit.getValue();
          suffix = unit.getKey();
          break;
        }
      }
      raw.add("size=" + size + suffix);
    }
    if (o != null) {
      for (List<String> opt : o.options()) {
        if (opt.isEmpty() || opt.size() > 2) {
          throw new InvalidArgumentException("invalid option array length");
        }
        if (!TMPFS_OPTIONS.contains(opt.getFirst())) {
          throw new InvalidArgumentException("invalid option: " + opt.getFirst());
        }
        raw.add(opt.size() == 1 ? opt.getFirst() : opt.get(0) + "=" + opt.get(1));
      }
    }
    return String.join(",", raw);
  }

  private void validate(MountRequest m) {
    if (m.target().isEmpty()) {
      throw config(m, "field Target must not be empty");
    }
    try {
      validateTarget(m.target());
    } catch (InvalidArgumentException e) {
      throw config(m, e.getMessage());
    }
    switch (m.type()) {
      case "bind" -> {
        if (m.source().isEmpty()) {
          throw config(m, "field Source must not be empty");
        }
        var o = m.bindOptions();
        if (o != null && !o.propagation().isEmpty() && !PROPAGATIONS.contains(o.propagation())) {
          throw config(m, "invalid propagation mode: " + o.propagation());
        }
        if (m.volumeOptions() != null) {
          throw config(m, "field VolumeOptions must not be specified");
        }
        if (!m.source().startsWith("/")) {
          throw config(m, "invalid mount path: '" + m.source() + "' mount path must be absolute");
        }
        boolean create = o != null && o.createMountpoint();
        if (!create && !exists.test(Path.of(m.source()))) {
          throw config(m, "bind source path does not exist: " + m.source());
        }
      }
      case "volume" -> {
        if (m.bindOptions() != null) {
          throw config(m, "field BindOptions must not be specified");
        }
        boolean anonymous = m.source().isEmpty();
        var o = m.volumeOptions();
        if (o != null && !o.subpath().isEmpty()) {
          if (anonymous) {
            throw config(m, "must not set Subpath when using anonymous volumes");
          }
          // Subpaths need a safe in-volume resolution at every start; berth does not have one yet.
          throw config(m, "volume subpaths are not supported by berth");
        }
        if (m.readOnly() && anonymous) {
          throw config(m, "must not set ReadOnly mode when using anonymous volumes");
        }
      }
      case "tmpfs" -> {
        if (m.bindOptions() != null) {
          throw config(m, "field BindOptions must not be specified");
        }
        if (!m.source().isEmpty()) {
          throw config(m, "field Source must not be specified");
        }
        try {
          tmpfsData(m.tmpfsOptions(), m.readOnly());
        } catch (InvalidArgumentException e) {
          throw config(m, e.getMessage());
        }
      }
      default -> throw config(m, "mount type unknown");
    }
  }

  private static void validateTarget(String target) {
    String p = target.replace('\\', '/');
    // moby checks for / first, but a relative path never cleans to / there: absolute first is the same.
    validateAbsolute(p);
    if (GoPath.clean(p).equals("/")) {
      throw new InvalidArgumentException("invalid specification: destination can't be '/'");
    }
  }

  private static void validateAbsolute(String p) {
    String s = p.replace('\\', '/');
    if (!s.startsWith("/")) {
      throw new InvalidArgumentException("invalid mount path: '" + s + "' mount path must be absolute");
    }
  }

  /** moby linuxValidMountMode: known words only, at most one of each kind. */
  static boolean validMode(String mode) {
    if (mode.isEmpty()) {
      return true;
    }
    int rw = 0;
    int label = 0;
    int propagation = 0;
    int copy = 0;
    int consistency = 0;
    for (String o : mode.split(",", -1)) {
      if (RW_MODES.contains(o)) {
        rw++;
      } else if (LABEL_MODES.contains(o)) {
        label++;
      } else if (PROPAGATIONS.contains(o)) {
        propagation++;
      } else if (COPY_MODES.contains(o)) {
        copy++;
      } else if (CONSISTENCY_MODES.contains(o)) {
        consistency++;
      } else {
        return false;
      }
    }
    return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
  }

  static boolean readWrite(String mode) {
    return validMode(mode) && !List.of(mode.split(",")).contains("ro");
  }

  private static boolean hasPropagation(String mode) {
    return List.of(mode.split(",")).stream().anyMatch(PROPAGATIONS::contains);
  }

  private static String propagation(String mode) {
    return List.of(mode.split(",")).stream().filter(PROPAGATIONS::contains).findFirst().orElse(DEFAULT_PROPAGATION);
  }

  private static InvalidArgumentException invalidSpec(String raw) {
    return new InvalidArgumentException("invalid volume specification: '" + raw + "'");
  }

  private static InvalidArgumentException config(MountRequest m, String why) {
    return new InvalidArgumentException("invalid mount config for type \"" + m.type() + "\": " + why);
  }
}
