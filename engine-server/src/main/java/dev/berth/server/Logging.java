package dev.berth.server;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per record on stderr (journald collects it), at the level --log-level asks for. */
final class Logging {

  /**
   * The loggers whose levels are set here. java.util.logging holds its loggers weakly: one nobody
   * else refers to is collected, its level with it, and a logger made later under that name
   * inherits the root's level instead (HikariCP's start-up lines came out at info).
   */
  private static final Map<String, Logger> CONFIGURED = new ConcurrentHashMap<>();

  private Logging() {}

  static void configure(String level) {
    Level jul = switch (level) {
      case "debug" -> Level.FINE;
      case "warn" -> Level.WARNING;
      case "error", "fatal" -> Level.SEVERE;
      default -> Level.INFO;
    };
    Logger root = Logger.getLogger("");
    for (var h : root.getHandlers()) {
      root.removeHandler(h);
    }
    var handler = new ConsoleHandler();
    handler.setLevel(jul);
    handler.setFormatter(new Formatter() {
      @Override
      public String format(LogRecord r) {
        String msg = formatMessage(r);
        String line = Instant.ofEpochMilli(r.getMillis()) + " " + name(r.getLevel()) + " " + shortName(r.getLoggerName())
            + ": " + msg + System.lineSeparator();
        if (r.getThrown() != null) {
          var sw = new java.io.StringWriter();
          r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
          line += sw;
        }
        return line;
      }
    });
    root.addHandler(handler);
    // Debug is for berth's own records; the JDK's and libraries' debug output is noise.
    root.setLevel(jul == Level.FINE ? Level.INFO : jul);
    level("dev.berth", jul);
    // Helidon's and HikariCP's start-up chatter is not berth's news; keep their warnings.
    level("io.helidon", jul == Level.FINE ? Level.INFO : Level.WARNING);
    level("com.zaxxer.hikari", jul == Level.FINE ? Level.INFO : Level.WARNING);
  }

  private static void level(String name, Level level) {
    Logger logger = Logger.getLogger(name);
    logger.setLevel(level);
    CONFIGURED.put(name, logger);
  }

  private static String name(Level l) {
    if (l.intValue() >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (l.intValue() >= Level.WARNING.intValue()) {
      return "WARN";
    }
    return l.intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
  }

  private static String shortName(String logger) {
    return logger == null ? "" : logger.substring(logger.lastIndexOf('.') + 1);
  }
}
