package dev.berth.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** berthd's flags and daemon.json, with dockerd's rules and wording for conflicts and unknown keys. */
class DaemonConfigTest {

  @TempDir
  Path tmp;

  /** Parses {@code args} with {@code json} as the (explicit) configuration file. */
  private DaemonConfig parse(String json, String... args) throws IOException {
    return DaemonConfigFiles.parse(tmp, json, args);
  }

  private String usage(String json, String... args) {
    return DaemonConfigFiles.usage(tmp, json, args);
  }

  private static String usage(List<String> args) {
    return assertThrows(DaemonConfig.UsageException.class, () -> DaemonConfig.parse(args)).getMessage();
  }

  @Test
  void defaultsWithAnEmptyFile() throws IOException {
    DaemonConfig c = parse("{}");
    assertEquals(Path.of("/run/berth/berth.sock"), c.socket());
    assertEquals(Path.of("/var/lib/berth"), c.dataRoot());
    assertEquals(Path.of("/run/berth"), c.execRoot());
    assertEquals("berth", c.cgroupParent());
    assertEquals("auto", c.defaultRuntime());
    assertEquals("info", c.logLevel());
    assertEquals(tmp.resolve("daemon.json"), c.configFile());
  }

  @Test
  void missingDefaultConfigFileIsFine() {
    assumeFalse(Files.exists(DaemonConfig.DEFAULT_CONFIG_FILE), "this machine has a real berthd configuration");
    DaemonConfig c = DaemonConfig.parse(List.of());
    assertEquals(Path.of("/run/berth/berth.sock"), c.socket());
    assertEquals(DaemonConfig.DEFAULT_CONFIG_FILE, c.configFile());
  }

  @Test
  void shortAndLongFlagsWithSeparateOrJoinedValues() throws IOException {
    DaemonConfig c = parse("{}", "-H", "unix:///x.sock", "--data-root", "/data", "--exec-root=/exec", "-l", "debug",
        "--cgroup-parent", "machine.slice", "--default-runtime=crun");
    assertEquals(Path.of("/x.sock"), c.socket());
    assertEquals(Path.of("/data"), c.dataRoot());
    assertEquals(Path.of("/exec"), c.execRoot());
    assertEquals("debug", c.logLevel());
    assertEquals("machine.slice", c.cgroupParent());
    assertEquals("crun", c.defaultRuntime());
  }

  @Test
  void pidFileDefaultsToTheExecRootAndTakesDockerdsFlagsAndKey() throws IOException {
    assertEquals(Path.of("/run/berth/berth.pid"), parse("{}").pidFile());
    assertEquals(Path.of("/exec/berth.pid"), parse("{}", "--exec-root", "/exec").pidFile());
    assertEquals(Path.of("/p/a.pid"), parse("{}", "-p", "/p/a.pid").pidFile());
    assertEquals(Path.of("/p/b.pid"), parse("{}", "--pidfile=/p/b.pid").pidFile());
    assertEquals(Path.of("/p/c.pid"), parse("{\"pidfile\": \"/p/c.pid\"}").pidFile());
  }

  @Test
  void hostLongFormWithEquals() throws IOException {
    assertEquals(Path.of("/run/other.sock"), parse("{}", "--host=unix:///run/other.sock").socket());
    assertEquals(Path.of("/run/other.sock"), parse("{}", "--host", "unix:///run/other.sock").socket());
  }

  @Test
  void lastFlagWins() throws IOException {
    assertEquals("error", parse("{}", "-l", "debug", "--log-level", "error").logLevel());
  }

  @Test
  void configFileSetsTheSameKeysAsTheFlags() throws IOException {
    DaemonConfig c = parse("""
        {"hosts": ["unix:///f.sock"], "data-root": "/fdata", "exec-root": "/fexec", "cgroup-parent": "fcg",
         "default-runtime": "runc", "log-level": "warn"}
        """);
    assertEquals(Path.of("/f.sock"), c.socket());
    assertEquals(Path.of("/fdata"), c.dataRoot());
    assertEquals(Path.of("/fexec"), c.execRoot());
    assertEquals("fcg", c.cgroupParent());
    assertEquals("runc", c.defaultRuntime());
    assertEquals("warn", c.logLevel());
  }

  @Test
  void flagsAndFileCombineWhenTheyDoNotOverlap() throws IOException {
    DaemonConfig c = parse("{\"data-root\": \"/fdata\"}", "-l", "debug");
    assertEquals(Path.of("/fdata"), c.dataRoot());
    assertEquals("debug", c.logLevel());
  }

  @Test
  void keyGivenAsFlagAndInFileIsRefusedWithDockerdsSentence() {
    assertEquals("unable to configure the daemon: the following directives are specified both as a flag and in the "
        + "configuration file: data-root: (from flag: /a, from file: /b)",
        usage("{\"data-root\": \"/b\"}", "--data-root", "/a"));
  }

  @Test
  void everyConflictIsListed() {
    String m = usage("{\"data-root\": \"/b\", \"log-level\": \"warn\"}", "--data-root", "/a", "-l", "debug");
    assertTrue(m.endsWith("data-root: (from flag: /a, from file: /b), log-level: (from flag: debug, from file: warn)"),
        m);
  }

  @Test
  void hostFlagConflictsWithHostsInTheFile() {
    String m = usage("{\"hosts\": [\"unix:///b.sock\"]}", "-H", "unix:///a.sock");
    assertTrue(m.contains("specified both as a flag and in the configuration file: hosts: "), m);
  }

  @Test
  void unknownFileKeysAreRefusedWithDockerdsSentence() {
    assertEquals("unable to configure the daemon: the following directives don't match any configuration option: "
        + "debug, storage-driver", usage("{\"debug\": true, \"storage-driver\": \"overlay2\"}"));
  }

  @Test
  void hostsMustBeOneUnixSocket() {
    assertEquals("unable to configure the daemon: \"hosts\" must list exactly one unix socket",
        usage("{\"hosts\": [\"unix:///a\", \"unix:///b\"]}"));
    assertEquals("unable to configure the daemon: \"hosts\" must list exactly one unix socket",
        usage("{\"hosts\": \"unix:///a\"}"));
  }

  @Test
  void nonUnixHostIsRefused() {
    assertEquals("berthd listens on unix sockets only: tcp://0.0.0.0:2375", usage("{}", "-H", "tcp://0.0.0.0:2375"));
    assertEquals("berthd listens on unix sockets only: tcp://:2375", usage("{\"hosts\": [\"tcp://:2375\"]}"));
  }

  @Test
  void badLogLevelIsRefused() {
    assertEquals("unable to configure the daemon: invalid log level: verbose", usage("{}", "-l", "verbose"));
    assertEquals("unable to configure the daemon: invalid log level: DEBUG", usage("{\"log-level\": \"DEBUG\"}"));
  }

  @Test
  void helpPrintsUsage() {
    assertEquals(DaemonConfig.USAGE, usage(List.of("--help")));
    assertEquals(DaemonConfig.USAGE, usage(List.of("-h")));
    assertEquals(DaemonConfig.USAGE, usage(List.of("-l", "debug", "--help")));
  }

  @Test
  void missingExplicitConfigFileIsAnError() {
    Path missing = tmp.resolve("nope.json");
    assertEquals("unable to configure the daemon: open " + missing + ": no such file or directory",
        usage(List.of("--config-file", missing.toString())));
  }

  @Test
  void malformedConfigFileIsAnError() {
    assertTrue(usage("{not json").startsWith("unable to configure the daemon: " + tmp.resolve("daemon.json") + ": "));
    assertEquals("unable to configure the daemon: " + tmp.resolve("daemon.json") + " must hold a JSON object",
        usage("[]"));
  }

  @Test
  void unknownFlagsAndArgumentsAreRefused() {
    assertTrue(usage(List.of("--debug")).startsWith("unknown flag: --debug\n"));
    assertEquals("unknown shorthand flag: 'D' in -D", usage(List.of("-D")));
    assertEquals("berthd takes no positional arguments, got \"serve\"", usage(List.of("serve")));
  }

  @Test
  void flagWithoutItsValueIsRefused() {
    assertEquals("flag needs an argument: --data-root", usage(List.of("--data-root")));
    assertEquals("flag needs an argument: --host", usage(List.of("-H")));
  }

  @Test
  void registriesFromTheFileOrRepeatedFlagsButNotBoth() throws IOException {
    var c = parse("{\"insecure-registries\": [\"reg.local:5000\", \"10.0.0.0/8\"], "
        + "\"registry-mirrors\": [\"https://mirror.local/\"]}");
    assertEquals(java.util.List.of("reg.local:5000", "10.0.0.0/8"), c.registry().insecureRegistries());
    assertEquals("https://mirror.local", c.registry().mirrors().getFirst().toString());
    var f = parse("{}", "--insecure-registry", "a:1", "--insecure-registry=b:2", "--registry-mirror", "http://m");
    assertEquals(java.util.List.of("a:1", "b:2"), f.registry().insecureRegistries());
    assertTrue(usage("{\"insecure-registries\": [\"x:1\"]}", "--insecure-registry", "y:2")
        .contains("insecure-registries: (from flag: [y:2], from file: [x:1])"));
    assertTrue(usage("{\"insecure-registries\": \"x\"}").contains("must be a list"));
    assertTrue(usage("{\"registry-mirrors\": [\"ftp://m\"]}").contains("invalid mirror"));
  }

  @Test
  void maxDownloadAttemptsFromTheFileOrTheFlagAsDockerdTakesIt() throws IOException {
    assertEquals(5, parse("{}").registry().maxDownloadAttempts());
    assertEquals(2, parse("{\"max-download-attempts\": 2}").registry().maxDownloadAttempts());
    assertEquals(9, parse("{}", "--max-download-attempts", "9").registry().maxDownloadAttempts());
    assertEquals("unable to configure the daemon: invalid max download attempts: 0",
        usage("{\"max-download-attempts\": 0}"));
    assertEquals("unable to configure the daemon: invalid max download attempts: many",
        usage("{}", "--max-download-attempts=many"));
  }
}
