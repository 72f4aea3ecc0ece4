package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.BusyboxImages.ImageSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Archives crossing between berth and containers/image (skopeo), a second implementation of both
 * formats: skopeo must read what save writes, and load must read what skopeo writes. Skipped
 * where skopeo is not installed.
 */
class SkopeoInteropTest {

  private static final Path SKOPEO = Path.of("/usr/bin/skopeo");

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    assertTrue(Files.isExecutable(SKOPEO), "these tests need skopeo (apt-get install skopeo)");
    f = new ServiceFixture(tmp.resolve("engine"));
  }

  private static String skopeo(String... args) throws IOException, InterruptedException {
    var cmd = new ArrayList<String>(List.of(SKOPEO.toString(), "--insecure-policy"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void skopeoReadsWhatSaveWrites() throws Exception {
    ImageId id = f.loadMultiLayer("multi:1");
    Path saved = tmp.resolve("saved.tar");
    try (var out = Files.newOutputStream(saved)) {
      f.images.save(List.of("multi:1"), out);
    }
    Path copy = tmp.resolve("copy.tar");
    // Read as an OCI archive (index.json) and rewritten as a docker-archive: the config bytes, so the ID, survive.
    skopeo("copy", "oci-archive:" + saved, "docker-archive:" + copy + ":multi:copied");
    var other = new ServiceFixture(tmp.resolve("other"));
    other.load(copy);
    assertEquals(id, other.images.find("multi:copied").id());
    // Read as a docker-archive (manifest.json).
    String config = skopeo("inspect", "--raw", "--config", "docker-archive:" + saved);
    assertEquals(id.digest(), Digest.of(config.getBytes()));
  }

  @Test
  void loadReadsWhatSkopeoWrites() throws Exception {
    Path layout = tmp.resolve("layout.tar");
    ImageId amd = BusyboxImages.ociLayoutMultiPlatform(layout, "busybox:multi", ImageSpec.busybox(),
        ImageSpec.busybox().withArchitecture("arm64").withCmd(List.of("arm")));
    Path dockerArchive = tmp.resolve("docker.tar");
    Path ociGz = tmp.resolve("oci-gz.tar");
    skopeo("copy", "--override-arch", "amd64", "oci-archive:" + layout, "docker-archive:" + dockerArchive + ":busybox:sk");
    skopeo("copy", "--dest-compress", "docker-archive:" + dockerArchive, "oci-archive:" + ociGz + ":docker.io/library/busybox:gz");
    f.load(dockerArchive);
    f.load(ociGz);
    assertEquals(List.of("Loaded image: busybox:sk", "Loaded image: busybox:gz"), f.progress);
    assertEquals(amd, f.images.find("busybox:sk").id());
    assertEquals(List.of("sh"), f.images.find("busybox:gz").config().config().cmd());
  }
}
