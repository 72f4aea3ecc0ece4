package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Volumes, binds, tmpfs and read-only roots through the real docker CLI. */
class VolumeIT extends WithBerthd {

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
    Fixtures.importBusybox(docker, "withvolume:1", "VOLUME /etc");
  }

  @Test
  void aNamedVolumeWrittenByOneContainerIsReadByTheNext() {
    docker.run("run", "--rm", "-v", "shared:/data", "busybox", "sh", "-c", "echo persisted > /data/f").ok();
    assertEquals("persisted\n", docker.run("run", "--rm", "-v", "shared:/data:ro", "busybox", "cat", "/data/f").ok()
        .out());
    assertEquals("shared", docker.run("volume", "ls", "-q", "--filter", "name=^shared$").ok().line());
  }

  @Test
  void volumeCreateLsInspectAndRm() {
    assertEquals("v-ls", docker.run("volume", "create", "--label", "team=a", "v-ls").ok().line());
    docker.run("volume", "create", "v-other").ok();
    assertEquals("v-ls", docker.run("volume", "ls", "-q", "--filter", "label=team=a").ok().line());
    var inspect = docker.run("volume", "inspect", "--format",
        "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.team}} {{.Mountpoint}}", "v-ls").ok().line();
    assertEquals("v-ls local local a " + daemon.dataRoot.resolve("volumes/v-ls/_data"), inspect);
    assertEquals("v-ls", docker.run("volume", "rm", "v-ls").ok().line());
    assertTrue(docker.run("volume", "inspect", "v-ls").stderr().contains("no such volume"));
    assertFalse(Files.exists(daemon.dataRoot.resolve("volumes/v-ls")), "its data went with it");
    docker.run("volume", "rm", "v-other").ok();
  }

  @Test
  void removingAVolumeInUseFailsWith409EvenForced() {
    String id = docker.run("create", "-v", "busy:/data", "busybox", "true").ok().line();
    var rm = docker.run("volume", "rm", "busy");
    assertNotEquals(0, rm.exit());
    assertTrue(rm.stderr().contains("remove busy: volume is in use - [" + id + "]"), rm.stderr());
    assertTrue(docker.run("volume", "rm", "-f", "busy").stderr().contains("volume is in use"));
    assertTrue(daemon.http("DELETE", "/volumes/busy", null).startsWith("HTTP/1.1 409"));
    assertEquals(id, docker.run("ps", "-aq", "--no-trunc", "--filter", "volume=busy").ok().line());
    assertEquals(id, docker.run("ps", "-aq", "--no-trunc", "--filter", "volume=/data").ok().line());
    assertEquals("", docker.run("ps", "-aq", "--filter", "volume=other").ok().out().strip());
    docker.run("rm", id).ok();
    docker.run("volume", "rm", "busy").ok();
  }

  @Test
  void anImageVolumeIsAnAnonymousVolumeInMountsFilledFromTheImage() {
    String id = docker.run("create", "withvolume:1", "cat", "/etc/passwd").ok().line();
    String mounts = docker.run("inspect", "--format",
        "{{range .Mounts}}{{.Type}} {{.Destination}} {{.Driver}} {{.RW}} {{len .Name}}{{end}}", id).ok().line();
    assertEquals("volume /etc local true 64", mounts);
    String volume = docker.run("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", id).ok().line();
    assertTrue(docker.run("start", "-a", id).ok().out().startsWith("root:x:0:0"), "copied up from the image");
    assertEquals("", docker.run("volume", "inspect", "--format", "{{index .Labels \"com.docker.volume.anonymous\"}}",
        volume).ok().line());
    docker.run("rm", "-v", id).ok();
    assertNotEquals(0, docker.run("volume", "inspect", volume).exit(), "rm -v removed the anonymous volume");
  }

  @Test
  void rmVKeepsNamedVolumesAndRunRmDropsAnonymousOnes() {
    String id = docker.run("create", "-v", "keepme:/named", "-v", "/anon", "busybox", "true").ok().line();
    String anon = docker.run("inspect", "--format", "{{range .Mounts}}{{if eq .Destination \"/anon\"}}{{.Name}}{{end}}"
        + "{{end}}", id).ok().line();
    docker.run("rm", "-v", id).ok();
    docker.run("volume", "inspect", "keepme").ok();
    assertNotEquals(0, docker.run("volume", "inspect", anon).exit());

    long before = volumeCount();
    docker.run("run", "--rm", "-v", "/gone", "busybox", "true").ok();
    assertEquals(before, volumeCount(), "run --rm removes its anonymous volumes");
    docker.run("volume", "rm", "keepme").ok();
  }

  @Test
  void bindMountsReadWriteAndReadOnly() throws IOException {
    Path host = Files.createDirectories(daemon.dir.resolve("bind-src"));
    Files.writeString(host.resolve("in.txt"), "from host\n");
    var rw = docker.run("run", "--rm", "-v", host + ":/h", "busybox", "sh", "-c", "cat /h/in.txt; echo back > /h/out.txt")
        .ok();
    assertEquals("from host\n", rw.out());
    assertEquals("back\n", Files.readString(host.resolve("out.txt")));

    var ro = docker.run("run", "--rm", "-v", host + ":/h:ro", "busybox", "sh", "-c", "echo x > /h/denied.txt");
    assertNotEquals(0, ro.exit());
    assertTrue(ro.stderr().contains("Read-only file system"), ro.stderr());
    var mount = docker.run("run", "--rm", "--mount", "type=bind,source=" + host + ",target=/m,readonly", "busybox",
        "sh", "-c", "cat /m/in.txt; touch /m/denied2");
    assertEquals("from host\n", mount.out());
    assertNotEquals(0, mount.exit());
    assertFalse(Files.exists(host.resolve("denied.txt")));
    assertFalse(Files.exists(host.resolve("denied2")));

    String inspect = docker.run("create", "-v", host + ":/h:ro", "busybox", "true").ok().line();
    assertEquals("bind " + host + " /h ro false rprivate", docker.run("inspect", "--format",
        "{{range .Mounts}}{{.Type}} {{.Source}} {{.Destination}} {{.Mode}} {{.RW}} {{.Propagation}}{{end}}", inspect)
        .ok().line());
    docker.run("rm", inspect).ok();

    var missing = docker.run("run", "--rm", "--mount", "type=bind,source=/no/such/dir,target=/m", "busybox", "true");
    assertTrue(missing.stderr().contains("bind source path does not exist: /no/such/dir"), missing.stderr());
  }

  @Test
  void tmpfsReadOnlyRootAndShmSize() {
    var r = docker.run("run", "--rm", "--read-only", "--tmpfs", "/scratch", "--shm-size", "8m", "busybox", "sh", "-c",
        "grep ' /scratch ' /proc/mounts | cut -d' ' -f3; touch /scratch/ok && echo wrote; touch /denied 2>&1; "
            + "df -k /dev/shm | tail -1 | awk '{print $2}'");
    assertEquals("tmpfs\nwrote\ntouch: /denied: Read-only file system\n8192\n", r.out());
    var mount = docker.run("run", "--rm", "--mount", "type=tmpfs,target=/t,tmpfs-size=1m,tmpfs-mode=1770", "busybox",
        "sh", "-c", "grep ' /t ' /proc/mounts").ok().line();
    assertTrue(mount.contains("tmpfs") && mount.contains("size=1024k") && mount.contains("mode=1770"), mount);
  }

  @Test
  void volumesFromAndNocopy() {
    String src = docker.run("create", "-v", "vf-data:/data", "busybox", "true").ok().line();
    docker.run("run", "--rm", "-v", "vf-data:/data", "busybox", "sh", "-c", "echo x > /data/f").ok();
    assertEquals("x\n", docker.run("run", "--rm", "--volumes-from", src + ":ro", "busybox", "cat", "/data/f").ok().out());
    var denied = docker.run("run", "--rm", "--volumes-from", src + ":ro", "busybox", "touch", "/data/g");
    assertNotEquals(0, denied.exit());
    assertEquals("", docker.run("run", "--rm", "--mount", "type=volume,source=nocopy-v,target=/usr,volume-nocopy",
        "busybox", "ls", "/usr").ok().out(), "nocopy leaves the volume empty");
    assertEquals("bin\nsbin\n", docker.run("run", "--rm", "-v", "copy-v:/usr", "busybox", "ls", "/usr").ok().out(),
        "an empty volume gets the image's content");
    docker.run("rm", src).ok();
    docker.run("volume", "rm", "vf-data", "nocopy-v", "copy-v").ok();
  }

  @Test
  void anEmptyVolumeARunningContainerUsesIsFilledInPlace() {
    String running = docker.run("run", "-d", "-v", "live-v:/live", "busybox", "sleep", "600").ok().line();
    docker.run("run", "--rm", "-v", "live-v:/usr", "busybox", "true").ok();
    assertEquals("bin\nsbin\n", docker.run("exec", running, "ls", "/live").ok().out(),
        "copied into the directory the running container has mounted");
    docker.run("rm", "-f", running).ok();
    docker.run("volume", "rm", "live-v").ok();
  }

  @Test
  void aLocalTmpfsVolumeIsMountedOnlyWhileInUse() {
    docker.run("volume", "create", "--driver", "local", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt",
        "o=size=2m", "tmpvol").ok();
    var r = docker.run("run", "--rm", "-v", "tmpvol:/tv", "busybox", "sh", "-c", "grep ' /tv ' /proc/mounts").ok();
    assertTrue(r.out().startsWith("tmpfs /tv tmpfs"), r.out());
    Path data = daemon.dataRoot.resolve("volumes/tmpvol/_data");
    assertTrue(daemon.mounts().stream().noneMatch(m -> m.equals(data.toString())), daemon.mounts().toString());
    assertEquals("tmpfs", docker.run("volume", "inspect", "--format", "{{.Options.type}}", "tmpvol").ok().line());
    docker.run("volume", "rm", "tmpvol").ok();
  }

  @Test
  void aMountedVolumeSurvivesABerthdCrashAndGoesWithItsLastUser() {
    docker.run("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "crashvol").ok();
    String id = docker.run("run", "-d", "-v", "crashvol:/v", "busybox", "sh", "-c", "echo kept > /v/f; sleep 600")
        .ok().line();
    String data = daemon.dataRoot.resolve("volumes/crashvol/_data").toString();
    Poll.until("the volume to be mounted", java.time.Duration.ofSeconds(10), () -> daemon.mounts().contains(data));
    daemon.restart(true);
    assertEquals("kept\n", docker.run("exec", id, "cat", "/v/f").ok().out());
    assertTrue(daemon.mounts().contains(data), "still mounted for the running container");
    docker.run("stop", "-t", "0", id).ok();
    Poll.until("the volume to be unmounted", java.time.Duration.ofSeconds(10), () -> !daemon.mounts().contains(data));
    docker.run("rm", id).ok();
    docker.run("volume", "rm", "crashvol").ok();
  }

  @Test
  void pruneRemovesUnusedAnonymousVolumesAndWithAllNamedOnes() {
    String user = docker.run("create", "-v", "pr-used:/u", "busybox", "true").ok().line();
    docker.run("volume", "create", "pr-named").ok();
    String anon = docker.run("volume", "create").ok().line();
    docker.run("volume", "rm", anon).ok();
    String id = docker.run("create", "-v", "/a", "busybox", "true").ok().line();
    String anonName = docker.run("inspect", "--format", "{{range .Mounts}}{{.Name}}{{end}}", id).ok().line();
    docker.run("rm", id).ok();

    String pruned = docker.run("volume", "prune", "-f").ok().out();
    assertTrue(pruned.contains(anonName), pruned);
    assertFalse(pruned.contains("pr-named"), pruned);
    String all = docker.run("volume", "prune", "-a", "-f").ok().out();
    assertTrue(all.contains("pr-named"), all);
    assertFalse(all.contains("pr-used"), all);
    docker.run("rm", user).ok();
    docker.run("volume", "rm", "pr-used").ok();
  }

  @Test
  void badSpecsAreRefusedWithDockersWords() {
    assertTrue(docker.run("run", "--rm", "-v", "bad/name:/x", "busybox", "true").stderr()
        .contains("includes invalid characters for a local volume name"));
    assertTrue(docker.run("run", "--rm", "-v", "/a:/b", "-v", "dup:/b", "busybox", "true").stderr()
        .contains("Duplicate mount point: /b"));
  }

  private static long volumeCount() {
    return List.of(docker.run("volume", "ls", "-q").ok().out().split("\n")).stream().filter(s -> !s.isBlank()).count();
  }
}
