package dev.berth.server.container;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A create body's {@code HostConfig.LogConfig}, honoured or refused: berth writes every
 * container's output to one log that conmon keeps and {@code docker logs} reads back, which is
 * what dockerd's default {@code json-file} driver without options gives. Any other driver and
 * every option are refused at create (400), as dockerd refuses what it does not know (moby
 * daemon/logger/factory.go ValidateLogOpts, jsonfilelog ValidateLogOpt); a full log-driver
 * implementation is a later issue.
 */
final class LogConfigTranslator {

  static final String JSON_FILE = "json-file";
  // Drivers dockerd 28 builds in (Linux): it takes them, berth does not have them yet.
  private static final Set<String> DOCKER_DRIVERS = Set.of("none", "local", "syslog", "journald", "gelf", "fluentd",
      "awslogs", "splunk", "gcplogs", "logentries");
  // json-file's options (moby jsonfilelog.ValidateLogOpt); dockerd takes them, berth does not honour them yet.
  private static final Set<String> JSON_FILE_OPTIONS = Set.of("max-file", "max-size", "compress", "labels",
      "labels-regex", "env", "env-regex", "tag");

  private LogConfigTranslator() {}

  /**
   * In dockerd's order: the logging mode, the driver, then its options.
   *
   * @throws InvalidArgumentException for a driver or option berth does not honour, in dockerd's
   *     words where dockerd refuses it too
   */
  static void check(ContainerJson.LogConfig config) {
    if (config == null) {
      return;
    }
    String type = config.Type() == null || config.Type().isEmpty() ? JSON_FILE : config.Type();
    Map<String, String> options = config.Config() == null ? Map.of() : config.Config();
    String mode = options.getOrDefault("mode", "");
    if (!type.equals("none")) {
      if (!mode.isEmpty() && !mode.equals("blocking") && !mode.equals("non-blocking")) {
        throw new InvalidArgumentException("logger: logging mode not supported: " + mode);
      }
      if (options.containsKey("max-buffer-size") && !mode.equals("non-blocking")) {
        throw new InvalidArgumentException("logger: max-buffer-size option is only supported with 'mode=non-blocking'");
      }
    }
    if (!type.equals(JSON_FILE)) {
      if (DOCKER_DRIVERS.contains(type)) {
        throw new InvalidArgumentException("log driver '" + type + "' is not supported: berth keeps every "
            + "container's output in a json-file log without options");
      }
      // dockerd looks an unknown driver up as a plugin, and berth has no plugins.
      throw new InvalidArgumentException("error looking up logging plugin " + type + ": plugin \"" + type
          + "\" not found");
    }
    for (String key : new TreeSet<>(options.keySet())) {
      boolean builtIn = key.equals("mode") || key.equals("max-buffer-size");
      if (!builtIn && !JSON_FILE_OPTIONS.contains(key)) {
        throw new InvalidArgumentException("unknown log opt '" + key + "' for json-file log driver");
      }
    }
    for (String key : new TreeSet<>(options.keySet())) {
      // Blocking is what berth does: conmon writes each line before it reads on.
      if (!(key.equals("mode") && !mode.equals("non-blocking"))) {
        throw new InvalidArgumentException("log opt '" + key + "' is not supported: berth's json-file log has no "
            + "rotation, non-blocking mode or extra attributes yet");
      }
    }
  }
}
