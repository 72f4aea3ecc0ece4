package dev.berth.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.os.Downcalls;
import dev.berth.core.os.LockFile;
import dev.berth.server.container.ContainerJson;
import dev.berth.store.JsonColumn;
import io.helidon.webserver.http.HttpRouting;

/**
 * Class initialisation every start needs, begun on threads of their own as berthd starts, so that
 * it runs beside the main thread's work rather than before it: Jackson's (BigDecimal's constants
 * for the parser and the default date format's calendar data, ~60 ms interpreted), which reading
 * the configuration needs first, then the default SecureRandom's (~15 ms); the instance lock's
 * calls (the FFM linker's first use, ~40 ms), which come next, then those of the runtime probe's
 * sealed copy (~13 ms); and Helidon's service registry ({@link HelidonServices}) and routing
 * classes, which the API server's staging needs.
 * A thread that needs a class one of these is initialising waits for it, so nothing is done twice
 * and nothing is used half made. A failure here is left for the code that needs the class to meet
 * again, with its own context.
 */
final class Warmup {

  private Warmup() {}

  static void begin() {
    start("berth-warmup-json", () -> {
      new ObjectMapper().readTree("{}");
      // The default SecureRandom, which the connection pool's first connection (a UUID) and the engine's IDs need.
      java.util.UUID.randomUUID();
    });
    start("berth-warmup-lock", () -> {
      LockFile.link();
      Downcalls.linkForSealedCopies();
    });
    start("berth-warmup-api", () -> {
      HelidonServices.install();
      HttpRouting.builder();
    });
  }

  /**
   * Once the engine serves: what the first container's run would otherwise pay for, ~0.5 of the
   * ~0.8 s a first {@code docker run --rm} took after a start against ~0.1 s later (issue 15,
   * docs/benchmarks.md): the store's documents' and the create and inspect bodies' JSON
   * (de)serializers, the run's downcalls, and the engine's own ({@code engine}: the default
   * seccomp filter compiled, the attach channel's library loaded). A request that arrives meanwhile
   * waits for a class being initialised here rather than doing it again; a (de)serializer both
   * resolve at once is made twice and one kept, which is harmless.
   */
  static void afterStart(Runnable engine) {
    start("berth-warmup-run", () -> {
      JsonColumn.resolveAll();
      ContainerJson.resolve();
      Downcalls.linkForRuns();
      engine.run();
    });
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  private static void start(String name, Work work) {
    Thread.ofPlatform().name(name).daemon().start(() -> {
      try {
        work.run();
      } catch (Exception | LinkageError e) {
        // met again, and reported, where the class is needed
      }
    });
  }
}
