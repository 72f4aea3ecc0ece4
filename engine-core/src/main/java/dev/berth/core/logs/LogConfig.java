package dev.berth.core.logs;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A container's (or the daemon's) log driver and its options, as {@code HostConfig.LogConfig} and
 * daemon.json's {@code log-driver}/{@code log-opts} give them. Any driver name and options may be
 * held (a create body is kept as sent until it is checked); {@link #settings()} checks them as
 * dockerd does and says what berth does with them.
 *
 * @param type the driver's name; empty for the daemon's default
 * @param config the driver's options ({@code --log-opt}), sorted
 */
public record LogConfig(String type, Map<String, String> config) {

  /** dockerd's default: json-file without rotation. */
  public static final LogConfig DEFAULT = new LogConfig(LogDriver.JSON_FILE.driverName(), Map.of());

  /** No driver named: the daemon's, with its options ({@link #withDefaults}). */
  public static final LogConfig UNSET = new LogConfig("", Map.of());

  // Drivers dockerd 28 builds in (Linux) that berth does not have: refused at create rather than accepted and dropped.
  private static final Set<String> DOCKERD_ONLY = Set.of("syslog", "journald", "gelf", "fluentd", "awslogs", "splunk",
      "gcplogs", "logentries", "etwlogs");
  // Options every driver takes (moby logger.builtInLogOpts).
  private static final Set<String> BUILT_IN = Set.of("mode", "max-buffer-size");
  // json-file's and local's own options, and the common attributes (moby jsonfilelog.ValidateLogOpt, local.LogOptKeys).
  private static final Set<String> FILE_OPTIONS = Set.of("max-file", "max-size", "compress", "labels", "labels-regex",
      "env", "env-regex", "tag");

  public LogConfig {
    type = type == null ? "" : type;
    config = config == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(config));
  }

  /**
   * moby {@code mergeAndVerifyLogConfig}: an unset driver is the daemon's, and a container using the
   * daemon's driver gets the daemon's options for those it does not set.
   */
  public LogConfig withDefaults(LogConfig daemon) {
    String t = type.isEmpty() ? daemon.type() : type;
    if (!t.equals(daemon.type())) {
      return new LogConfig(t, config);
    }
    var merged = new TreeMap<>(daemon.config());
    merged.putAll(config);
    return new LogConfig(t, merged);
  }

  /**
   * Checks the driver and its options in dockerd's order and words (moby {@code
   * logger.ValidateLogOpts}, then the driver's {@code New}, which dockerd runs only at start and
   * berth at create, so nothing is accepted that could not start).
   *
   * @throws InvalidArgumentException for an unknown or missing driver, an unknown option, or a bad value
   */
  public LogSettings settings() {
    String name = type.isEmpty() ? LogDriver.JSON_FILE.driverName() : type;
    if (name.equals(LogDriver.NONE.driverName())) {
      // dockerd checks nothing for none: its options are ignored, as there is no log.
      return LogSettings.NONE;
    }
    String mode = config.getOrDefault("mode", "");
    if (!mode.isEmpty() && !mode.equals("blocking") && !mode.equals("non-blocking")) {
      throw new InvalidArgumentException("logger: logging mode not supported: " + mode);
    }
    if (config.containsKey("max-buffer-size") && !mode.equals("non-blocking")) {
      throw new InvalidArgumentException("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
    }
    LogDriver driver = LogDriver.named(name).orElse(null);
    if (driver == null) {
      if (DOCKERD_ONLY.contains(name)) {
        throw new InvalidArgumentException("logger: no log driver named '" + name + "' is registered (berth has "
            + "json-file, local and none)");
      }
      // dockerd looks an unknown driver up as a plugin, and berth has no plugins.
      throw new InvalidArgumentException("error looking up logging plugin " + name + ": plugin \"" + name
          + "\" not found");
    }
    for (String key : new TreeSet<>(config.keySet())) {
      if (!BUILT_IN.contains(key) && !FILE_OPTIONS.contains(key)) {
        throw new InvalidArgumentException(driver == LogDriver.LOCAL
            ? "unknown log opt '" + key + "' for log driver local"
            : "unknown log opt '" + key + "' for json-file log driver");
      }
    }
    if (config.containsKey("max-buffer-size")) {
      // non-blocking mode: conmon never blocks the container on berthd, which is what dockerd's ring buffer is for.
      parseSize(config.get("max-buffer-size"), 1024, "error parsing option max-buffer-size: ");
    }
    return driver == LogDriver.LOCAL ? local() : jsonFile();
  }

  /** moby jsonfilelog.New: no rotation unless max-size is set; compress only with rotation. */
  private LogSettings jsonFile() {
    long maxSize = -1;
    if (config.containsKey("max-size")) {
      maxSize = parseSize(config.get("max-size"), 1000, "");
      if (maxSize <= 0) {
        throw new InvalidArgumentException("max-size must be a positive number");
      }
    }
    int maxFiles = 1;
    if (config.containsKey("max-file")) {
      maxFiles = parseInt(config.get("max-file"), "");
      if (maxFiles < 1) {
        throw new InvalidArgumentException("max-file cannot be less than 1");
      }
    }
    boolean compress = false;
    if (config.containsKey("compress")) {
      compress = parseBool(config.get("compress"), "");
      if (compress && (maxFiles == 1 || maxSize == -1)) {
        throw new InvalidArgumentException("compress cannot be true when max-file is less than 2 or max-size is not set");
      }
    }
    return new LogSettings(LogDriver.JSON_FILE, maxSize, maxFiles, compress, attributeKeys());
  }

  /** moby local.newConfig: 20 MB x 5 files, compressed, unless told otherwise. */
  private LogSettings local() {
    long maxSize = 20L * 1024 * 1024;
    if (config.containsKey("max-size")) {
      String v = config.get("max-size");
      maxSize = parseSize(v, 1000, "invalid value for max-size: " + v + ": ");
    }
    int maxFiles = 5;
    if (config.containsKey("max-file")) {
      String v = config.get("max-file");
      maxFiles = parseInt(v, "invalid value for max-file: " + v + ": ");
    }
    boolean compress = true;
    if (config.containsKey("compress")) {
      compress = parseBool(config.get("compress"), "invalid boolean value for compress: ");
    }
    if (maxSize < 0) {
      throw new InvalidArgumentException("max-size must not be negative");
    }
    if (maxFiles < 0) {
      throw new InvalidArgumentException("max-file must not be negative");
    }
    if (compress && maxFiles <= 1) {
      throw new InvalidArgumentException("compression cannot be enabled when max file count is 1");
    }
    // local's 0 means "no limit" for both (loggerutils treats a capacity of 0 as rotate-always; dockerd
    // passes it on as is, so a max-size of 0 rotates before every entry).
    return new LogSettings(LogDriver.LOCAL, maxSize, Math.max(maxFiles, 1), compress, attributeKeys());
  }

  private LogSettings.Attributes attributeKeys() {
    return new LogSettings.Attributes(config.getOrDefault("labels", ""), config.getOrDefault("labels-regex", ""),
        config.getOrDefault("env", ""), config.getOrDefault("env-regex", ""),
        new LogTag(config.getOrDefault("tag", "")));
  }

  private static int parseInt(String v, String prefix) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(prefix + "strconv.Atoi: parsing \"" + v + "\": invalid syntax");
    }
  }

  private static boolean parseBool(String v, String prefix) {
    return switch (v) {
      case "1", "t", "T", "true", "TRUE", "True" -> true;
      case "0", "f", "F", "false", "FALSE", "False" -> false;
      default -> throw new InvalidArgumentException(prefix + "strconv.ParseBool: parsing \"" + v
          + "\": invalid syntax");
    };
  }

  /** go-units parseSize: a number, an optional space and a suffix k/m/g/t/p with an optional b or ib. */
  static long parseSize(String s, long unit, String prefix) {
    int sep = -1;
    for (int i = s.length() - 1; i >= 0; i--) {
      if ("0123456789. ".indexOf(s.charAt(i)) >= 0) {
        sep = i;
        break;
      }
    }
    if (sep < 0) {
      throw new InvalidArgumentException(prefix + "invalid size: '" + s + "'");
    }
    String num = s.charAt(sep) == ' ' ? s.substring(0, sep) : s.substring(0, sep + 1);
    String sfx = s.substring(sep + 1).toLowerCase(java.util.Locale.ROOT);
    double size;
    try {
      if (num.isEmpty() || !num.matches("[0-9.+-]+[0-9.eE+-]*")) {
        throw new NumberFormatException();
      }
      size = Double.parseDouble(num);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(prefix + "strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
    }
    if (size < 0) {
      throw new InvalidArgumentException(prefix + "invalid size: '" + s + "'");
    }
    if (sfx.isEmpty()) {
      return (long) size;
    }
    String bad = prefix + "invalid suffix: '" + sfx + "'";
    if (sfx.length() > 3) {
      throw new InvalidArgumentException(bad);
    }
    if (sfx.charAt(0) == 'b') {
      if (sfx.length() > 1) {
        throw new InvalidArgumentException(bad);
      }
      return (long) size;
    }
    int power = "kmgtp".indexOf(sfx.charAt(0)) + 1;
    if (power == 0 || sfx.length() == 2 && sfx.charAt(1) != 'b' || sfx.length() == 3 && !sfx.endsWith("ib")) {
      throw new InvalidArgumentException(bad);
    }
    return (long) (size * Math.pow(unit, power));
  }
}
