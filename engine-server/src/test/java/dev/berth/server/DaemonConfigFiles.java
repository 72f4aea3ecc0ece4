package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** berthd's flags parsed with a daemon.json the test writes, for the DaemonConfig tests. */
final class DaemonConfigFiles {

  private DaemonConfigFiles() {}

  /** Parses {@code args} with {@code json} as the (explicit) configuration file in {@code dir}. */
  static DaemonConfig parse(Path dir, String json, String... args) throws IOException {
    Path file = dir.resolve("daemon.json");
    Files.writeString(file, json);
    var all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--config-file", file.toString()));
    return DaemonConfig.parse(all);
  }

  /** The message berthd refuses {@code args} and {@code json} with. */
  static String usage(Path dir, String json, String... args) {
    return assertThrows(DaemonConfig.UsageException.class, () -> parse(dir, json, args)).getMessage();
  }
}
