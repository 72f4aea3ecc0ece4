package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.logs.LogConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 13: daemon.json {@code log-driver}/{@code log-opts} and their flags, checked at start. */
class DaemonConfigLogTest {

  @TempDir
  Path tmp;

  private DaemonConfig parse(String json, String... args) throws IOException {
    return DaemonConfigFiles.parse(tmp, json, args);
  }

  private String usage(String json, String... args) {
    return DaemonConfigFiles.usage(tmp, json, args);
  }

  @Test
  void theDefaultIsJsonFileWithoutOptions() throws IOException {
    assertEquals(LogConfig.DEFAULT, parse("{}").log());
  }

  @Test
  void driverAndOptionsComeFromTheFileOrTheFlags() throws IOException {
    assertEquals(new LogConfig("local", Map.of("max-size", "10m", "max-file", "3")),
        parse("{\"log-driver\": \"local\", \"log-opts\": {\"max-size\": \"10m\", \"max-file\": \"3\"}}").log());
    assertEquals(new LogConfig("json-file", Map.of("max-size", "1m")),
        parse("{}", "--log-driver", "json-file", "--log-opt", "max-size=1m").log());
    assertEquals(new LogConfig("none", Map.of()), parse("{}", "--log-driver=none").log());
  }

  @Test
  void badSettingsStopTheDaemonInDockerdsWords() {
    assertEquals("failed to start daemon: failed to set log opts: unknown log opt 'nope' for json-file log driver",
        usage("{\"log-opts\": {\"nope\": \"1\"}}"));
    assertEquals("failed to start daemon: failed to set log opts: error looking up logging plugin bogus: plugin "
        + "\"bogus\" not found", usage("{}", "--log-driver", "bogus"));
    assertEquals("failed to start daemon: failed to set log opts: invalid size: 'x'",
        usage("{}", "--log-opt", "max-size=x"));
    assertEquals("invalid argument \"max-size\" for \"--log-opt\" flag: invalid key value pair format in map",
        usage("{}", "--log-opt", "max-size"));
    assertTrue(usage("{\"log-opts\": {\"max-size\": 10}}").contains("cannot unmarshal number"));
    assertTrue(usage("{\"log-opts\": {\"max-size\": \"1m\"}}", "--log-opt", "max-file=2")
        .contains("specified both as a flag and in the configuration file: log-opts"));
    assertTrue(usage("{\"log-driver\": \"local\"}", "--log-driver", "none")
        .contains("specified both as a flag and in the configuration file: log-driver"));
  }
}
