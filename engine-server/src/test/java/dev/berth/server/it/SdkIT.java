package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Docker SDKs people use, pointed at berthd: docker-py (Debian's python3-docker). */
class SdkIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void dockerPyRunsExecsWaitsAndMapsErrors() throws Exception {
    Path script = Path.of("src/test/resources/sdk/docker_py_smoke.py").toAbsolutePath();
    Process p = new ProcessBuilder("python3", script.toString(), "unix://" + daemon.socket).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("docker-py script did not finish:\n" + out);
    }
    assertEquals(0, p.exitValue(), out);
    assertEquals("docker-py ok", out.strip().lines().reduce((a, b) -> b).orElse(""), out);
  }
}
