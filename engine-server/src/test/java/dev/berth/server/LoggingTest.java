package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The levels --log-level sets hold for loggers made later, after collections. */
class LoggingTest {

  @Test
  void levelsOutliveCollections() {
    Logging.configure("info");
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    // Made after the collections, as HikariCP's are when the store opens.
    assertEquals(Level.WARNING, effectiveLevel(Logger.getLogger("com.zaxxer.hikari.pool.HikariPool")));
    assertEquals(Level.WARNING, effectiveLevel(Logger.getLogger("io.helidon.webserver.LoomServer")));

    Logging.configure("debug");
    System.gc();
    assertEquals(Level.FINE, effectiveLevel(Logger.getLogger("dev.berth.core.SomeClass")));
    Logging.configure("info");
  }

  private static Level effectiveLevel(Logger logger) {
    for (Logger l = logger; l != null; l = l.getParent()) {
      if (l.getLevel() != null) {
        return l.getLevel();
      }
    }
    return null;
  }
}
