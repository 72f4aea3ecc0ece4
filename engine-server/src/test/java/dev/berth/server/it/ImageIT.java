package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.BusyboxImages;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Images through the real docker CLI: load, import, list, inspect, tag, rmi, save, history. */
class ImageIT extends WithBerthd {

  private static Path work;

  @BeforeAll
  static void prepare() throws IOException {
    work = Files.createDirectories(daemon.dir.resolve("archives"));
  }

  @Test
  void loadsDockerSaveArchivesOfBothLayouts() {
    ImageId id = BusyboxImages.dockerSave(work.resolve("new.tar"), List.of("busybox:1.0"), ImageSpec.busybox());
    assertEquals("Loaded image: busybox:1.0", docker.run("load", "-i", work.resolve("new.tar").toString()).ok().line());
    assertEquals(id.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", "busybox:1.0").ok().line());

    ImageSpec labelled = ImageSpec.busybox().withLabels(Map.of("layout", "legacy"));
    ImageId legacy = BusyboxImages.dockerSaveLegacy(work.resolve("legacy.tar"), List.of("legacy:1"), labelled);
    docker.run("load", "-i", work.resolve("legacy.tar").toString()).ok();
    assertEquals(legacy.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", "legacy:1").ok().line());
    assertEquals("hi\n", docker.run("run", "--rm", "legacy:1", "echo", "hi").ok().out());
  }

  @Test
  void loadsOciLayoutsAndPicksThisPlatformFromAnIndex() {
    ImageId id = BusyboxImages.ociLayout(work.resolve("oci.tar"), "ocibox:2", ImageSpec.busybox().gzipped()
        .withCmd(List.of("echo", "oci")));
    assertEquals("Loaded image: ocibox:2", docker.run("load", "-i", work.resolve("oci.tar").toString()).ok().line());
    assertEquals(id.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", "ocibox:2").ok().line());
    assertEquals("oci\n", docker.run("run", "--rm", "ocibox:2").ok().out());

    ImageSpec amd64 = ImageSpec.busybox().withCmd(List.of("echo", "amd64"));
    ImageSpec arm64 = ImageSpec.busybox().withArchitecture("arm64").withCmd(List.of("echo", "arm64"));
    ImageId picked = BusyboxImages.ociLayoutMultiPlatform(work.resolve("multi.tar"), "multiarch:1", amd64, arm64);
    docker.run("load", "-i", work.resolve("multi.tar").toString()).ok();
    assertEquals(picked.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", "multiarch:1").ok().line());
    assertEquals("amd64", docker.run("image", "inspect", "--format", "{{.Architecture}}", "multiarch:1").ok().line());
  }

  @Test
  void multiLayerImagesHonourWhiteoutsOpaqueDirsSymlinksAndConfig() {
    BusyboxImages.dockerSave(work.resolve("layers.tar"), List.of("layered:1"), ImageSpec.multiLayer());
    docker.run("load", "-i", work.resolve("layers.tar").toString()).ok();
    assertEquals("hello\n", docker.run("run", "--rm", "layered:1").ok().out());
    String probe = "test ! -e /etc/motd && echo motd-gone; ls /srv/data; readlink /usr/local/bin/greet; "
        + "id -u; pwd; echo $GREETING; cat /app/hello.txt";
    var r = docker.run("run", "--rm", "--entrypoint", "/bin/sh", "layered:1", "-c", probe).ok();
    assertEquals("motd-gone\nnew.txt\n/bin/echo\n1000\n/app\nhello\nhello from layer 2\n", r.out());
    assertEquals("SIGUSR1", docker.run("image", "inspect", "--format", "{{.Config.StopSignal}}", "layered:1").ok().line());
    assertEquals("2", docker.run("image", "inspect", "--format", "{{len .RootFS.Layers}}", "layered:1").ok().line());
    var history = docker.run("history", "--no-trunc", "--format", "{{.CreatedBy}}", "layered:1").ok().line();
    assertEquals("STOPSIGNAL SIGUSR1", history.lines().findFirst().orElseThrow());
    assertTrue(history.contains("COPY layer2 / # buildkit"), history);
  }

  @Test
  void importsARootfsWithChanges() throws IOException {
    byte[] rootfs = BusyboxImages.rootfsTar();
    var r = docker.withInput(rootfs, "import", "--change", "ENV WHO=imported", "--change", "CMD [\"sh\", \"-c\", \"echo $WHO\"]",
        "-m", "from a test", "-", "imported:1").ok();
    assertTrue(r.line().startsWith("sha256:"), r.out());
    assertEquals("imported\n", docker.run("run", "--rm", "imported:1").ok().out());
    assertEquals("from a test", docker.run("image", "inspect", "--format", "{{.Comment}}", "imported:1").ok().line());
    var bad = docker.withInput(rootfs, "import", "--change", "RUN echo nope", "-", "imported:2");
    assertNotEquals(0, bad.exit());
  }

  @Test
  void listsFiltersTagsAndRemoves() {
    BusyboxImages.dockerSave(work.resolve("tags.tar"), List.of("tagme:1"), ImageSpec.busybox()
        .withLabels(Map.of("purpose", "tags")));
    docker.run("load", "-i", work.resolve("tags.tar").toString()).ok();
    docker.run("tag", "tagme:1", "example.org:5000/team/tagme:2").ok();
    String listed = docker.run("images", "--filter", "label=purpose=tags", "--format", "{{.Repository}}:{{.Tag}}").ok().out();
    assertEquals(List.of("example.org:5000/team/tagme:2", "tagme:1"), listed.lines().sorted().toList());
    assertEquals("tagme:1", docker.run("images", "--filter", "reference=tagme", "--format", "{{.Repository}}:{{.Tag}}")
        .ok().line());

    assertEquals("Untagged: example.org:5000/team/tagme:2", docker.run("rmi", "example.org:5000/team/tagme:2").ok().line());
    String user = docker.run("create", "tagme:1", "true").ok().line();
    var refused = docker.run("rmi", "tagme:1");
    assertNotEquals(0, refused.exit());
    assertTrue(refused.stderr().contains("conflict: unable to remove repository reference \"tagme:1\" (must force) - "
        + "container " + user.substring(0, 12) + " is using its referenced image"), refused.stderr());
    docker.run("rm", user).ok();
    var removed = docker.run("rmi", "tagme:1").ok().out();
    assertTrue(removed.contains("Untagged: tagme:1") && removed.contains("Deleted: sha256:"), removed);
    assertNotEquals(0, docker.run("image", "inspect", "tagme:1").exit());
    var missing = docker.run("rmi", "no-such-image:9");
    assertTrue(missing.stderr().contains("No such image: no-such-image:9"), missing.stderr());
  }

  @Test
  void savesWhatLoadsBackToTheSameImage() throws IOException {
    ImageId id = BusyboxImages.dockerSave(work.resolve("rt.tar"), List.of("roundtrip:1"), ImageSpec.multiLayer());
    docker.run("load", "-i", work.resolve("rt.tar").toString()).ok();
    Path saved = work.resolve("saved.tar");
    docker.run("save", "-o", saved.toString(), "roundtrip:1").ok();
    List<String> names = entries(Files.readAllBytes(saved));
    for (String expected : List.of("oci-layout", "index.json", "manifest.json", "blobs/sha256/" + id.digest().hex())) {
      assertTrue(names.contains(expected), expected + " in " + names);
    }
    var piped = docker.run("save", "roundtrip:1").ok();
    assertEquals(entries(Files.readAllBytes(saved)), entries(piped.stdout()));
    docker.run("rmi", "roundtrip:1").ok();
    assertEquals("Loaded image: roundtrip:1", docker.run("load", "-i", saved.toString()).ok().line());
    assertEquals(id.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", "roundtrip:1").ok().line());
  }

  @Test
  void archivesThatEscapeTheLayerAreRefused() throws IOException {
    byte[] evil = new TarBuilder().dir("etc").file("../../escaped-by-berth-test", "owned\n").build();
    ImageSpec spec = new ImageSpec("amd64", List.of(evil), false, List.of(), "", "", null, List.of("sh"), "", Map.of(),
        List.of(new BusyboxImages.Step("ADD evil /", false)));
    BusyboxImages.dockerSave(work.resolve("evil.tar"), List.of("evil:1"), spec);
    var r = docker.run("load", "-i", work.resolve("evil.tar").toString());
    assertNotEquals(0, r.exit(), r.out());
    assertFalse(Files.exists(daemon.dataRoot.resolve("escaped-by-berth-test")));
    assertFalse(Files.exists(daemon.dataRoot.getParent().resolve("escaped-by-berth-test")));
    assertNotEquals(0, docker.run("image", "inspect", "evil:1").exit());
  }

  private static List<String> entries(byte[] tar) throws IOException {
    var names = new ArrayList<String>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }
}
