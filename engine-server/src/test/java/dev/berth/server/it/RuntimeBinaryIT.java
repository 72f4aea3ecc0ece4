package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * CVE-2019-5736 against the runtime berthd runs (crun from berthd's sealed copy, through the
 * hider, by default here; runc for the containers that ask for it): a default container whose
 * PID namespace other containers join sees their runtime's set-up process for an instant, and
 * goes after its executable as the exploit did. It must not get a handle it can reopen for
 * writing, and the host's runtime binaries must be unchanged.
 */
class RuntimeBinaryIT extends WithBerthd {

  private static final Pattern SUMMARY = Pattern.compile("refused (\\d+) seen (\\d+) grabbed (\\d+) writable (\\d+)");
  private static Path tools;

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
    tools = daemon.dir.resolve("tools");
  }

  @ParameterizedTest
  @ValueSource(strings = {"crun", "runc"})
  void aContainerCannotReachTheRuntimesBinaryWhileItSetsUpAnother(String runtime) throws Exception {
    Path crun = Path.of("/usr/bin/crun");
    Path runc = Path.of("/usr/sbin/runc");
    String before = digest(crun) + digest(runc);
    Path attacker = Fixtures.compileStatic("runtime-exe-attacker", tools);
    String id = docker.run("run", "-d", "-v", tools + ":/attack:ro", "busybox", "/attack/" + attacker.getFileName())
        .ok().line();
    Poll.until("the attacker to start", Duration.ofSeconds(20),
        () -> docker.run("logs", id).out().contains("attacker ready"));
    for (int i = 0; i < 10; i++) {
      docker.run("run", "--rm", "--runtime", runtime, "--pid", "container:" + id, "busybox", "true").ok();
    }
    docker.run("stop", id).ok();
    String log = docker.run("logs", id).ok().out();
    docker.run("rm", id).ok();
    var summary = SUMMARY.matcher(log);
    assertTrue(summary.find(), "the attacker's summary: " + log);
    System.out.println(runtime + ": " + log.strip().replace('\n', ' '));
    assertEquals("0", summary.group(4), "runtime executables it could reopen for writing: " + log);
    assertTrue(Integer.parseInt(summary.group(1)) + Integer.parseInt(summary.group(2)) > 0,
        "the attacker never saw a runtime process: " + log);
    assertEquals(before, digest(crun) + digest(runc), "the host's runtime binaries changed");
  }

  private static String digest(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
