package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, CVE-2018-15664: a container that swaps a directory for an absolute symlink to a host
 * directory while {@code docker cp} runs through it must never make berthd write into, or read
 * from, that host directory. A static helper in the container exchanges the two names with
 * renameat2(RENAME_EXCHANGE) as fast as it can while cp runs 100 times each way.
 */
class ArchiveEscapeIT extends WithBerthd {

  private static final int ROUNDS = 100;

  private static Path helper;
  private Path host;

  @BeforeAll
  static void prepare() {
    helper = Fixtures.compileStatic("rename-racer", daemon.dir.resolve("racer")).getParent();
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @AfterEach
  void removeHostDir() throws IOException {
    if (host != null) {
      try (Stream<Path> s = Files.walk(host)) {
        s.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void aRacingSymlinkNeverLeadsCpToTheHost() throws Exception {
    host = Files.createTempDirectory(Path.of("/tmp"), "berth-escape-");
    String secret = "host secret " + UUID.randomUUID();
    Path canary = Files.writeString(host.resolve("canary"), secret);
    Map<String, Object> before = Files.readAttributes(canary, "unix:mode,uid,gid,size,lastModifiedTime,ino");

    // Inside, the host directory's path exists too: a confined resolution of the link lands there.
    String id = docker.run("run", "-d", "-v", helper + ":/helper:ro", "busybox", "sh", "-c",
        "mkdir -p /tmp/race/d " + host + " && echo inside > /tmp/race/d/canary && echo inside > " + host
            + "/canary && ln -s " + host + " /tmp/race/l && exec /helper/rename-racer /tmp/race/d /tmp/race/l").ok().line();
    Poll.until("the helper to swap the directory for the link", Duration.ofSeconds(15),
        () -> docker.run("exec", id, "test", "-L", "/tmp/race/d").exit() == 0);

    Path payload = Files.writeString(daemon.dir.resolve("payload"), "payload\n");
    Set<Integer> copiedIn = Collections.synchronizedSet(new HashSet<>());
    var copiedOut = new AtomicInteger();
    List<String> leaks = Collections.synchronizedList(new ArrayList<>());
    var in = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        if (docker.run("cp", payload.toString(), id + ":/tmp/race/d/payload-" + i).exit() == 0) {
          copiedIn.add(i);
        }
      }
    });
    var out = CompletableFuture.runAsync(() -> {
      for (int i = 0; i < ROUNDS; i++) {
        String path = i % 2 == 0 ? "/tmp/race/d" : "/tmp/race/d/canary";
        var r = docker.run("cp", id + ":" + path, "-");
        if (r.exit() == 0) {
          copiedOut.incrementAndGet();
        }
        if (new String(r.stdout(), StandardCharsets.ISO_8859_1).contains(secret)) {
          leaks.add(path);
        }
      }
    });
    CompletableFuture.allOf(in, out).get();

    try (Stream<Path> s = Files.list(host)) {
      assertEquals(List.of("canary"), s.map(p -> p.getFileName().toString()).toList(),
          "nothing was written into the host directory");
    }
    assertEquals(secret, Files.readString(canary));
    assertEquals(before, Files.readAttributes(canary, "unix:mode,uid,gid,size,lastModifiedTime,ino"),
        "the host's file was not touched");
    assertEquals(List.of(), leaks, "cp out never read the host's file");
    assertTrue(copiedIn.size() > 0 && copiedOut.get() > 0,
        "some copies got through the race: in " + copiedIn.size() + ", out " + copiedOut.get());

    // What cp wrote went into the container: its directory, or its own directory of the host's name.
    docker.run("stop", "-t", "0", id).ok();
    Set<Integer> inside = new HashSet<>();
    for (String dir : List.of("/tmp/race", host.toString())) {
      for (String name : names(docker.run("cp", id + ":" + dir, "-").ok().stdout())) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (base.startsWith("payload-")) {
          inside.add(Integer.parseInt(base.substring("payload-".length())));
        }
      }
    }
    assertEquals(copiedIn, inside, "every copy that succeeded is in the container");
    docker.run("rm", id).ok();
    assertFalse(Files.exists(host.resolve("payload-0"), LinkOption.NOFOLLOW_LINKS));
  }

  private static List<String> names(byte[] tar) throws IOException {
    var names = new ArrayList<String>();
    try (var t = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
