package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** docker events: replay with --since/--until, following, and filters. */
class EventsIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void aRunRmReportsItsLifecycleInOrder() {
    long since = Instant.now().getEpochSecond() - 1;
    docker.run("run", "--rm", "--name", "evented", "--label", "suite=events", "busybox", "true").ok();
    long until = Instant.now().getEpochSecond() + 1;
    var r = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "container=evented", "--format", "{{.Action}}").ok();
    assertEquals(List.of("create", "attach", "start", "die", "destroy"), r.out().lines().toList());
    var labelled = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "label=suite=events", "--filter", "event=die", "--format", "{{.Actor.Attributes.exitCode}}").ok();
    assertEquals("0", labelled.line());
  }

  @Test
  void imagesAndVolumesReportWhatHappensToThem() {
    long since = Instant.now().getEpochSecond() - 1;
    docker.run("tag", "busybox", "evented:one").ok();
    String id = docker.run("image", "inspect", "--format", "{{.Id}}", "busybox").ok().line();
    docker.run("rmi", "evented:one").ok();
    docker.run("volume", "create", "evented-vol").ok();
    String user = docker.run("run", "-d", "-v", "evented-vol:/data:ro", "busybox", "true").ok().line();
    docker.run("wait", user).ok();
    docker.run("rm", user).ok();
    docker.run("volume", "rm", "evented-vol").ok();
    long until = Instant.now().getEpochSecond() + 1;
    var images = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "type=image", "--filter", "image=evented:one", "--format", "{{.Action}} {{.Actor.Attributes.name}}")
        .ok().out().lines().toList();
    assertEquals(List.of("tag evented:one", "untag evented:one"), images);
    var tag = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "event=tag", "--format", "{{.Actor.ID}}").ok().line();
    assertEquals(id, tag);
    var volumes = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "type=volume", "--format", "{{.Action}} {{.Actor.ID}} {{.Actor.Attributes.driver}}").ok().out()
        .lines().toList();
    assertEquals(List.of("create evented-vol local", "mount evented-vol local", "unmount evented-vol local",
        "destroy evented-vol local"), volumes);
    var mount = docker.run("events", "--since", Long.toString(since), "--until", Long.toString(until),
        "--filter", "event=mount", "--format",
        "{{.Actor.Attributes.container}} {{.Actor.Attributes.destination}} {{index .Actor.Attributes \"read/write\"}}")
        .ok().line();
    assertEquals(user + " /data false", mount);
  }

  @Test
  void aFollowerSeesEventsAsTheyHappen() throws Exception {
    Path out = daemon.dir.resolve("events.out");
    Process follow = docker.startTo(out, "events", "--filter", "type=container", "--format", "{{.Action}} {{.Actor.Attributes.name}}");
    try {
      // The CLI prints nothing until an event comes; give it one once its request is in.
      Poll.until("the follower to be connected", Duration.ofSeconds(10), () -> follow.isAlive());
      String id = docker.run("run", "-d", "--name", "followed", "busybox", "sleep", "300").ok().line();
      Poll.until("start of followed", Duration.ofSeconds(10), () -> read(out).contains("start followed"));
      docker.run("stop", "-t", "0", id).ok();
      Poll.until("stop of followed", Duration.ofSeconds(10), () -> read(out).contains("stop followed"));
      String text = read(out);
      assertTrue(text.indexOf("kill followed") < text.indexOf("die followed")
          && text.indexOf("die followed") < text.indexOf("stop followed"), text);
      docker.run("rm", id).ok();
    } finally {
      follow.destroyForcibly().waitFor();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
