package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's docker-compose 1.29 against berthd: two services on the project network, one reading
 * the other's volume-backed page by service name; a second {@code up} finds everything current;
 * {@code down -v} leaves no container, network or volume.
 */
class ComposeIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void twoServicesTalkByServiceNameAndDownRemovesEverything() throws Exception {
    Path project = Files.createDirectories(daemon.dir.resolve("accproj"));
    Files.copy(Path.of("src/test/resources/compose/docker-compose.yml"), project.resolve("docker-compose.yml"));
    try {
      docker.compose(project, "up", "-d").ok();
      Poll.until("the client to read the page", Duration.ofSeconds(30),
          () -> docker.run("logs", "accproj_client_1").out().contains("from-compose"));
      assertEquals("0", docker.run("wait", "accproj_client_1").ok().line());
      assertEquals("accproj_default", docker.run("inspect", "--format",
          "{{range $k, $v := .NetworkSettings.Networks}}{{$k}}{{end}}", "accproj_web_1").ok().line());

      var again = docker.compose(project, "up", "-d").ok();
      assertTrue(again.stderr().contains("accproj_web_1 is up-to-date"), again.stderr());
    } finally {
      docker.compose(project, "down", "-v").ok();
    }
    assertEquals("", docker.run("ps", "-aq").ok().out().strip());
    assertTrue(docker.run("network", "ls", "--format", "{{.Name}}").ok().out().lines()
        .noneMatch(n -> n.startsWith("accproj")));
    assertEquals("", docker.run("volume", "ls", "-q").ok().out().strip());
  }
}
