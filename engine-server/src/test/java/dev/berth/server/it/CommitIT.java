package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code docker diff}, {@code docker commit} and {@code docker export} through the real CLI. */
class CommitIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void diffShowsAddedChangedAndDeletedButNotTheEnginesOwnFiles() {
    String id = docker.run("run", "-d", "-v", "/vol", "busybox", "sh", "-c",
        "echo new > /tmp/added; echo more >> /etc/passwd; rm /etc/group; mkdir -p /opt/a; touch /vol/ignored; "
            + "sleep 600").ok().line();
    Poll.until("the changes", java.time.Duration.ofSeconds(10),
        () -> docker.run("exec", id, "test", "-e", "/opt/a").exit() == 0);
    String diff = docker.run("diff", id).ok().out();
    assertEquals("C /etc\nD /etc/group\nC /etc/passwd\nA /opt\nA /opt/a\nC /tmp\nA /tmp/added\nA /vol\n", diff,
        "no /etc/hosts, /etc/hostname or /etc/resolv.conf: they live in the init layer, as in dockerd");
    docker.run("stop", "-t", "0", id).ok();
    assertEquals(diff, docker.run("diff", id).ok().out(), "the same once stopped");
    docker.run("rm", "-v", id).ok();
  }

  @Test
  void commitThenRunTheNewImage() {
    String id = docker.run("run", "-d", "busybox", "sh", "-c", "echo committed > /greeting; sleep 600").ok().line();
    Poll.until("the file", java.time.Duration.ofSeconds(10),
        () -> docker.run("exec", id, "test", "-e", "/greeting").exit() == 0);
    String image = docker.run("commit", "-a", "berth tests", "-m", "a message", "-c", "CMD [\"cat\", \"/greeting\"]",
        "-c", "LABEL stage=committed", id, "committed:v1").ok().line();
    assertTrue(image.startsWith("sha256:"), image);
    assertEquals("running", docker.run("inspect", "--format", "{{.State.Status}}", id).ok().line(),
        "paused for the commit, then thawed");
    assertEquals("committed\n", docker.run("run", "--rm", "committed:v1").ok().out());
    assertEquals("berth tests|a message|committed|2", docker.run("image", "inspect", "--format",
        "{{.Author}}|{{.Comment}}|{{.Config.Labels.stage}}|{{len .RootFS.Layers}}", "committed:v1").ok().line());
    String history = docker.run("history", "--format", "{{.CreatedBy}}|{{.Comment}}", "committed:v1").ok().out();
    assertTrue(history.startsWith("sh -c echo committed > /greeting; sleep 600|a message\n"), history);

    String child = docker.run("run", "-d", "committed:v1", "sh", "-c", "rm /greeting; sleep 600").ok().line();
    Poll.until("the deletion", java.time.Duration.ofSeconds(10),
        () -> docker.run("exec", child, "test", "-e", "/greeting").exit() != 0);
    docker.run("commit", child, "committed:v2").ok();
    assertEquals(1, docker.run("run", "--rm", "committed:v2", "test", "-e", "/greeting").exit(),
        "a deletion is a whiteout in the new layer");
    docker.run("rm", "-f", id, child).ok();
  }

  @Test
  void exportIsTheRootFilesystemAsATar() throws IOException {
    String id = docker.run("create", "busybox", "true").ok().line();
    docker.run("start", "-a", id).ok();
    List<String> names = new ArrayList<>();
    byte[] tar = docker.run("export", id).ok().stdout();
    try (var t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        names.add(e.getName());
      }
    }
    assertTrue(names.containsAll(List.of("bin/", "bin/busybox", "etc/passwd", ".dockerenv")), names.toString());
    assertTrue(names.stream().noneMatch(n -> n.equals("./") || n.startsWith("/")), "relative names, no root entry");

    var out = docker.run("export", "-o", daemon.dir.resolve("exported.tar").toString(), id).ok();
    assertEquals(0, out.exit());
    docker.run("rm", id).ok();
  }
}
