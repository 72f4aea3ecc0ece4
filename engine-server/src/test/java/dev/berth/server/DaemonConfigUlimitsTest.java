package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ProcessOptions.Ulimit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: daemon.json {@code default-ulimits} and {@code --default-ulimit}, checked as dockerd checks them. */
class DaemonConfigUlimitsTest {

  @TempDir
  Path tmp;

  private DaemonConfig parse(String json, String... args) throws IOException {
    return DaemonConfigFiles.parse(tmp, json, args);
  }

  private String usage(String json, String... args) {
    return DaemonConfigFiles.usage(tmp, json, args);
  }

  @Test
  void defaultUlimitsComeFromTheFileOrTheFlag() throws IOException {
    assertEquals(List.of(new Ulimit("nofile", 1024, 2048)),
        parse("{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 2048, \"Soft\": 1024}}}")
            .defaultUlimits());
    assertEquals(List.of(new Ulimit("nofile", 512, 512), new Ulimit("nproc", 10, 20)),
        parse("{}", "--default-ulimit", "nofile=512", "--default-ulimit=nproc=10:20").defaultUlimits());
    assertTrue(parse("{}").defaultUlimits().isEmpty());
  }

  @Test
  void badDefaultUlimitsAreRefusedInDockerdsWords() {
    assertEquals("invalid argument \"bogus=1\" for \"--default-ulimit\" flag: invalid ulimit type: bogus",
        usage("{}", "--default-ulimit", "bogus=1"));
    assertEquals("invalid argument \"nofile=9:8\" for \"--default-ulimit\" flag: ulimit soft limit must be less than "
        + "or equal to hard limit: 9 > 8", usage("{}", "--default-ulimit", "nofile=9:8"));
    assertEquals("invalid argument \"nofile\" for \"--default-ulimit\" flag: invalid ulimit argument: nofile",
        usage("{}", "--default-ulimit", "nofile"));
    assertEquals("unable to configure the daemon: default-ulimits: invalid ulimit type: nope",
        usage("{\"default-ulimits\": {\"nope\": {\"Name\": \"nope\", \"Hard\": 1, \"Soft\": 1}}}"));
    assertTrue(usage("{\"default-ulimits\": {\"nofile\": {\"Name\": \"nofile\", \"Hard\": 1, \"Soft\": 1}}}",
        "--default-ulimit", "nofile=2").contains("specified both as a flag and in the configuration file: "
        + "default-ulimits"));
  }
}
