package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code docker cp} both ways, on running, stopped and never-started containers, and its safety. */
class ArchiveIT extends WithBerthd {

  private static Path work;

  @BeforeAll
  static void prepare() throws IOException {
    Fixtures.importBusybox(docker, "busybox:latest");
    work = Files.createDirectories(daemon.dir.resolve("cp"));
  }

  @Test
  void copiesBothWaysWithARunningContainer() throws IOException {
    byte[] data = new byte[3 * 1024 * 1024 + 17];
    new Random(1).nextBytes(data);
    Path in = Files.write(work.resolve("blob.bin"), data);
    String id = docker.run("run", "-d", "busybox", "sleep", "600").ok().line();
    docker.run("cp", in.toString(), id + ":/tmp/blob.bin").ok();
    assertEquals(sha(data), docker.run("exec", id, "sha256sum", "/tmp/blob.bin").ok().line().split(" ")[0]);
    Path out = work.resolve("back.bin");
    docker.run("cp", id + ":/tmp/blob.bin", out.toString()).ok();
    assertArrayEquals(data, Files.readAllBytes(out));
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void copiesIntoStoppedAndNeverStartedContainers() throws IOException {
    Path in = Files.writeString(work.resolve("cfg.txt"), "configured\n");
    String created = docker.run("create", "busybox", "cat", "/cfg.txt").ok().line();
    docker.run("cp", in.toString(), created + ":/cfg.txt").ok();
    assertEquals("configured\n", docker.run("start", "-a", created).ok().out());

    docker.run("cp", in.toString(), created + ":/root/again.txt").ok();
    assertEquals("configured\n", docker.run("run", "--rm", "--volumes-from", created, "busybox", "true").ok().out()
        + readFromContainer(created, "/root/again.txt"));
    assertTrue(daemon.mounts().stream().noneMatch(m -> m.contains(created)), "the copy unmounted what it mounted");
    docker.run("rm", created).ok();
  }

  @Test
  void aFileToStdoutIsATarWithTheStatHeaderBehindIt() throws IOException {
    String id = docker.run("create", "busybox", "true").ok().line();
    var tar = docker.run("cp", id + ":/etc/passwd", "-").ok().stdout();
    List<TarArchiveEntry> entries = new ArrayList<>();
    String content;
    try (var t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      entries.add(t.getNextEntry());
      content = new String(t.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertEquals("passwd", entries.getFirst().getName());
    assertTrue(content.startsWith("root:x:0:0:"), content);

    String head = daemon.http("HEAD", "/containers/" + id + "/archive?path=/etc", null);
    Matcher m = Pattern.compile("(?i)x-docker-container-path-stat: *(\\S+)").matcher(head);
    assertTrue(m.find(), head);
    String stat = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
    assertTrue(stat.startsWith("{\"name\":\"etc\",\"size\":"), stat);
    assertTrue(stat.contains("\"mode\":2147484141"), "a 0755 directory in Go's FileMode bits: " + stat);
    assertTrue(daemon.http("HEAD", "/containers/" + id + "/archive?path=/nope", null).startsWith("HTTP/1.1 404"));
    docker.run("rm", id).ok();
  }

  @Test
  void directoriesAndVolumesAreCopiedWhetherRunningOrNot() throws IOException {
    String id = docker.run("run", "-d", "-v", "cpvol:/data", "busybox", "sh", "-c",
        "mkdir -p /data/d && echo in-volume > /data/d/v.txt && sleep 600").ok().line();
    Poll.until("the container to write its volume", java.time.Duration.ofSeconds(10),
        () -> docker.run("exec", id, "cat", "/data/d/v.txt").exit() == 0);
    Path dir = work.resolve("fromvol-running");
    docker.run("cp", id + ":/data/d", dir.toString()).ok();
    assertEquals("in-volume\n", Files.readString(dir.resolve("v.txt")));

    docker.run("stop", "-t", "0", id).ok();
    Path file = Files.writeString(work.resolve("tovol.txt"), "written stopped\n");
    docker.run("cp", file.toString(), id + ":/data/d/new.txt").ok();
    assertEquals("written stopped\n", Files.readString(daemon.dataRoot.resolve("volumes/cpvol/_data/d/new.txt")),
        "the copy went through the volume, not into the root filesystem");
    Path dir2 = work.resolve("fromvol-stopped");
    docker.run("cp", id + ":/data/d", dir2.toString()).ok();
    assertTrue(Files.exists(dir2.resolve("new.txt")));
    docker.run("rm", id).ok();
    docker.run("volume", "rm", "cpvol").ok();
  }

  @Test
  void symlinksInTheContainerNeverReachTheHost() throws IOException {
    Path marker = Files.createDirectories(daemon.dir.resolve("host-marker"));
    Path payload = Files.writeString(work.resolve("payload.txt"), "payload\n");
    // -sfn: the start after the copies runs this again.
    String id = docker.run("run", "-d", "busybox", "sh", "-c", "ln -sfn / /tmp/root; ln -sfn ../../../../../.. /tmp/up; "
        + "mkdir -p " + marker + "; ln -sfn " + marker + " /tmp/marker; sleep 600").ok().line();
    Poll.until("the links", java.time.Duration.ofSeconds(10),
        () -> docker.run("exec", id, "test", "-L", "/tmp/marker").exit() == 0);
    for (String running : List.of("running", "stopped")) {
      if (running.equals("stopped")) {
        docker.run("stop", "-t", "0", id).ok();
      }
      docker.run("cp", payload.toString(), id + ":/tmp/root/p-root-" + running).ok();
      docker.run("cp", payload.toString(), id + ":/tmp/up/p-up-" + running).ok();
      docker.run("cp", payload.toString(), id + ":/tmp/marker/p-marker-" + running).ok();
    }
    try (var s = Files.list(marker)) {
      assertEquals(List.of(), s.toList(), "nothing was written into the host directory the link names");
    }
    try (var s = Files.list(Path.of("/"))) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith("p-")), "nothing in the host's /");
    }
    docker.run("start", id).ok();
    String inside = docker.run("exec", id, "sh", "-c", "ls / | grep p- ; ls " + marker).ok().out();
    assertEquals(List.of("p-root-running", "p-root-stopped", "p-up-running", "p-up-stopped", "p-marker-running",
        "p-marker-stopped"), List.of(inside.strip().split("\n")));

    String hostname = docker.run("cp", id + ":/tmp/up/etc/hostname", "-").ok().out();
    assertTrue(hostname.contains(id.substring(0, 12)), "the container's own /etc/hostname, not the host's");
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void tarEntriesThatEscapeAreRefused() throws IOException {
    String id = docker.run("create", "busybox", "true").ok().line();
    byte[] evil = new TarBuilder().file("../../../../escape-" + id.substring(0, 8), "x").build();
    var r = docker.withInput(evil, "cp", "-", id + ":/tmp");
    assertNotEquals(0, r.exit());
    assertTrue(r.stderr().contains("is outside of"), r.stderr());
    byte[] link = new TarBuilder().symlink("out", "../../../../etc").build();
    var l = docker.withInput(link, "cp", "-", id + ":/tmp");
    assertTrue(l.stderr().contains("invalid symlink"), l.stderr());
    assertFalse(Files.exists(Path.of("/escape-" + id.substring(0, 8))));
    docker.run("rm", id).ok();
  }

  @Test
  void readOnlyVolumesAndRootsRefuseCopies() throws IOException {
    Path file = Files.writeString(work.resolve("ro.txt"), "x");
    String id = docker.run("create", "--read-only", "-v", "rovol:/ro:ro", "busybox", "true").ok().line();
    assertTrue(docker.run("cp", file.toString(), id + ":/ro/").stderr().contains("mounted volume is marked read-only"));
    assertTrue(docker.run("cp", file.toString(), id + ":/tmp/").stderr()
        .contains("container rootfs is marked read-only"));
    docker.run("rm", "-v", id).ok();
    docker.run("volume", "rm", "rovol").ok();
  }

  private static String readFromContainer(String id, String path) throws IOException {
    byte[] tar = docker.run("cp", id + ":" + path, "-").ok().stdout();
    try (var t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      t.getNextEntry();
      return new String(t.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
