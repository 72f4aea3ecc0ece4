package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageImportTest {

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
  }

  private ImageId importRootfs(byte[] tar, String tag, List<String> changes, String message) {
    return f.images.importRootfs(new ByteArrayInputStream(tar), tag == null ? null : ImageReference.parse(tag), changes,
        message);
  }

  @Test
  void importMakesAOneLayerImage() throws IOException {
    byte[] rootfs = BusyboxImages.rootfsTar();
    ImageId id = importRootfs(rootfs, "imported:1", List.of(), "");
    Image img = f.images.find("imported:1");
    assertEquals(id, img.id());
    // The ID is the digest of the config bytes written.
    byte[] config = f.blobs.read(id.digest());
    assertEquals(id.digest(), Digest.of(config));
    assertEquals(List.of(Digest.of(rootfs)), img.config().diffIds());
    assertEquals("linux", img.config().os());
    assertEquals("amd64", img.config().architecture());
    assertEquals("Imported from -", img.config().comment());
    HistoryEntry h = img.config().history().getFirst();
    assertEquals("Imported from -", h.comment());
    assertEquals(img.config().created(), h.created());
    assertTrue(Files.isRegularFile(f.images.layerDirs(id).getFirst().resolve("bin/busybox")));

    JsonNode json = new ObjectMapper().readTree(config);
    assertEquals("layers", json.get("rootfs").get("type").asText());
    assertEquals(Digest.of(rootfs).toString(), json.get("rootfs").get("diff_ids").get(0).asText());
    assertTrue(json.get("created").asText().endsWith("Z"));
  }

  @Test
  void gzipRootfsImportsWithTheUncompressedDiffId() {
    byte[] rootfs = new TarBuilder().file("hello", "world").build();
    ImageId id = importRootfs(TarBuilder.gzip(rootfs), null, List.of(), "my message");
    Image img = f.images.find(id.toString());
    assertEquals(List.of(Digest.of(rootfs)), img.config().diffIds());
    assertEquals("my message", img.config().history().getFirst().comment());
    assertTrue(img.dangling());
    Layer layer = f.layers.find(img.chainIds().getFirst()).orElseThrow();
    assertEquals(MediaTypes.OCI_LAYER_GZIP, layer.mediaType());
    assertEquals(5, layer.size());
  }

  @Test
  void zstdAndXzRootfsImportWithTheUncompressedDiffId() {
    byte[] rootfs = new TarBuilder().file("hello", "world").dir("etc").file("etc/conf", "x".repeat(100_000)).build();
    for (var compressed : List.of(TarBuilder.zstd(rootfs), TarBuilder.xz(rootfs))) {
      ImageId id = importRootfs(compressed, null, List.of(), "");
      Image img = f.images.find(id.toString());
      assertEquals(List.of(Digest.of(rootfs)), img.config().diffIds());
    }
    Layer zstd = f.layers.find(f.images.find(importRootfs(TarBuilder.zstd(rootfs), null, List.of(), "")
        .toString()).chainIds().getFirst()).orElseThrow();
    assertEquals(MediaTypes.OCI_LAYER_ZSTD, zstd.mediaType());
  }

  @Test
  void changesAreApplied() {
    ImageId id = importRootfs(new TarBuilder().file("x", "y").build(), "c:1", List.of(
        "ENV A=1 B=\"two words\"",
        "ENV LEGACY some value",
        "ENV C=${A}-$B",
        "LABEL org.example.k=v \"quoted key\"=yes",
        "EXPOSE 80 53/udp 8000-8001",
        "VOLUME /data /more",
        "VOLUME [\"/logs\", \"/cache\"]",
        "WORKDIR /srv",
        "WORKDIR app",
        "USER nobody",
        "STOPSIGNAL SIGQUIT",
        "ONBUILD RUN echo hi",
        "ENTRYPOINT [\"/bin/tini\", \"--\"]",
        "CMD echo $HOME && ls",
        "HEALTHCHECK --interval=30s --retries=3 CMD [\"/bin/true\"]"), "");
    ImageRunConfig c = f.images.find("c:1").config().config();
    assertEquals(List.of("A=1", "B=two words", "LEGACY=some value", "C=1-two words"), c.env());
    assertEquals(Map.of("org.example.k", "v", "quoted key", "yes"), c.labels());
    assertEquals(Set.of("80/tcp", "53/udp", "8000/tcp", "8001/tcp"), c.exposedPorts());
    assertEquals(Set.of("/data", "/more", "/logs", "/cache"), c.volumes());
    assertEquals("/srv/app", c.workingDir());
    assertEquals("nobody", c.user());
    assertEquals("SIGQUIT", c.stopSignal());
    assertEquals(List.of("RUN echo hi"), c.onBuild());
    assertEquals(List.of("/bin/tini", "--"), c.entrypoint());
    assertEquals(List.of("/bin/sh", "-c", "echo $HOME && ls"), c.cmd());
    assertEquals(List.of("CMD", "/bin/true"), c.healthcheck().test());
    assertEquals(30_000_000_000L, c.healthcheck().interval());
    assertEquals(3, c.healthcheck().retries());
    assertEquals(id, f.images.find("c:1").id());
  }

  @Test
  void entrypointAfterCmdKeepsItButAloneDropsIt() {
    importRootfs(new TarBuilder().file("x", "y").build(), "e:1", List.of("CMD [\"a\"]", "ENTRYPOINT /run.sh"), "");
    ImageRunConfig c = f.images.find("e:1").config().config();
    assertEquals(List.of("a"), c.cmd());
    assertEquals(List.of("/bin/sh", "-c", "/run.sh"), c.entrypoint());
  }

  @Test
  void invalidChangesAreRefusedWithDockersWording() {
    byte[] tar = new TarBuilder().file("x", "y").build();
    assertEquals("FROM is not a valid change command",
        assertThrows(InvalidArgumentException.class, () -> importRootfs(tar, null, List.of("FROM busybox"), "")).getMessage());
    assertEquals("run is not a valid change command",
        assertThrows(InvalidArgumentException.class, () -> importRootfs(tar, null, List.of("run ls"), "")).getMessage());
    assertEquals("invalid signal: SIGNOPE", assertThrows(InvalidArgumentException.class,
        () -> importRootfs(tar, null, List.of("STOPSIGNAL SIGNOPE"), "")).getMessage());
    assertEquals("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed", assertThrows(InvalidArgumentException.class,
        () -> importRootfs(tar, null, List.of("ONBUILD ONBUILD RUN x"), "")).getMessage());
    assertEquals("Syntax error - can't find = in \"b\". Must be of the form: name=value",
        assertThrows(InvalidArgumentException.class, () -> importRootfs(tar, null, List.of("ENV a=1 b"), "")).getMessage());
    assertThrows(InvalidArgumentException.class, () -> importRootfs(tar, null, List.of("EXPOSE abc"), ""));
    // Nothing was stored for the refused imports.
    assertTrue(f.images.list(ImageFilter.NONE).isEmpty());
  }

  @Test
  void digestTagIsRefused() {
    byte[] tar = new TarBuilder().file("x", "y").build();
    var e = assertThrows(InvalidArgumentException.class,
        () -> importRootfs(tar, "busybox@sha256:" + "a".repeat(64), List.of(), ""));
    assertEquals("cannot import digest reference", e.getMessage());
  }

  @Test
  void escapingRootfsIsRefused() {
    byte[] tar = new TarBuilder().file("../../x", "y").build();
    assertThrows(InvalidArgumentException.class, () -> importRootfs(tar, null, List.of(), ""));
    assertEquals(List.of(), f.scratchLeftovers());
  }
}
