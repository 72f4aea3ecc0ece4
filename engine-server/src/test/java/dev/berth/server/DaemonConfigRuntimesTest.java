package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: daemon.json {@code runtimes} and {@code --add-runtime}, checked as dockerd checks them. */
class DaemonConfigRuntimesTest {

  @TempDir
  Path tmp;

  private DaemonConfig parse(String json, String... args) throws IOException {
    return DaemonConfigFiles.parse(tmp, json, args);
  }

  private String usage(String json, String... args) {
    return DaemonConfigFiles.usage(tmp, json, args);
  }

  @Test
  void runtimesComeFromTheFileWithTheirArguments() throws IOException {
    DaemonConfig c = parse("""
        {"runtimes": {"marker": {"path": "/usr/local/bin/marker", "runtimeArgs": ["--debug"]}}}""");
    assertEquals(Map.of("marker", new DaemonConfig.RuntimeEntry("/usr/local/bin/marker", List.of("--debug"))),
        c.runtimes());
    assertTrue(parse("{}").runtimes().isEmpty());
  }

  @Test
  void addRuntimeTakesNameEqualsPathLowerCasingTheName() throws IOException {
    DaemonConfig c = parse("{}", "--add-runtime", "Fast=/opt/fast", "--add-runtime=slow=/opt/slow");
    assertEquals(Map.of("fast", new DaemonConfig.RuntimeEntry("/opt/fast", List.of()),
        "slow", new DaemonConfig.RuntimeEntry("/opt/slow", List.of())), c.runtimes());
  }

  @Test
  void badRuntimesAreRefusedInDockerdsWords() {
    assertEquals("invalid argument \"nopath\" for \"--add-runtime\" flag: invalid runtime argument: nopath",
        usage("{}", "--add-runtime", "nopath"));
    assertEquals("invalid argument \"runc=/x\" for \"--add-runtime\" flag: runtime name 'runc' is reserved",
        usage("{}", "--add-runtime", "runc=/x"));
    assertEquals("invalid argument \"a=/y\" for \"--add-runtime\" flag: runtime 'a' was already defined",
        usage("{}", "--add-runtime", "a=/x", "--add-runtime", "a=/y"));
    assertEquals("unable to configure the daemon: runtime name 'runc' is reserved",
        usage("{\"runtimes\": {\"runc\": {\"path\": \"/x\"}}}"));
    assertEquals("unable to configure the daemon: runtime a: either a runtimeType or a path must be configured",
        usage("{\"runtimes\": {\"a\": {}}}"));
  }

  @Test
  void runtimesGivenBothWaysConflict() {
    assertTrue(usage("{\"runtimes\": {\"a\": {\"path\": \"/x\"}}}", "--add-runtime", "b=/y")
        .startsWith("unable to configure the daemon: the following directives are specified both as a flag and in "
            + "the configuration file: runtimes"));
  }
}
