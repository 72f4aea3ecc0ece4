package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSaveTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp.resolve("a"));
  }

  private byte[] save(String... names) {
    var out = new ByteArrayOutputStream();
    f.images.save(List.of(names), out);
    return out.toByteArray();
  }

  /** What {@code tar -t} shows, with each file's content. */
  private static Map<String, byte[]> entries(byte[] tar) throws IOException {
    var out = new LinkedHashMap<String, byte[]>();
    try (var in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
      TarArchiveEntry e;
      while ((e = in.getNextEntry()) != null) {
        out.put(e.getName(), e.isDirectory() ? new byte[0] : in.readAllBytes());
      }
    }
    return out;
  }

  @Test
  void saveWritesAnOciLayoutThatIsADockerSaveArchive() throws IOException {
    ImageId id = f.loadMultiLayer("multi:1", "multi:2");
    ImageSpec spec = ImageSpec.multiLayer();
    Map<String, byte[]> entries = entries(save("multi:1"));
    List<String> names = new ArrayList<>(entries.keySet());
    assertEquals(List.of("blobs/", "blobs/sha256/"), names.subList(0, 2));
    assertEquals(List.of("index.json", "manifest.json", "oci-layout", "repositories"),
        names.subList(names.size() - 4, names.size()));
    List<String> blobs = names.subList(2, names.size() - 4);
    assertEquals(blobs.stream().sorted().toList(), blobs);
    // config, manifest and one uncompressed tar per layer, each named by its digest
    assertEquals(4, blobs.size());
    for (String b : blobs) {
      assertEquals(b.substring("blobs/sha256/".length()), Digest.of(entries.get(b)).hex());
    }
    for (Digest diffId : spec.diffIds()) {
      assertTrue(blobs.contains("blobs/sha256/" + diffId.hex()));
    }

    JsonNode manifest = JSON.readTree(entries.get("manifest.json"));
    assertEquals(1, manifest.size());
    assertEquals("blobs/sha256/" + id.digest().hex(), manifest.get(0).get("Config").asText());
    assertEquals("[\"multi:1\"]", manifest.get(0).get("RepoTags").toString());
    assertEquals("blobs/sha256/" + spec.diffIds().get(1).hex(), manifest.get(0).get("Layers").get(1).asText());

    JsonNode index = JSON.readTree(entries.get("index.json"));
    assertEquals(MediaTypes.OCI_INDEX, index.get("mediaType").asText());
    JsonNode d = index.get("manifests").get(0);
    assertEquals("docker.io/library/multi:1", d.get("annotations").get(ArchiveReader.IMAGE_NAME_ANNOTATION).asText());
    assertEquals("1", d.get("annotations").get(ArchiveReader.REF_NAME_ANNOTATION).asText());
    JsonNode ociManifest = JSON.readTree(entries.get("blobs/sha256/" + Digest.parse(d.get("digest").asText()).hex()));
    assertEquals(MediaTypes.OCI_MANIFEST, ociManifest.get("mediaType").asText());
    assertEquals(id.toString(), ociManifest.get("config").get("digest").asText());
    assertEquals(MediaTypes.OCI_LAYER, ociManifest.get("layers").get(0).get("mediaType").asText());

    JsonNode repositories = JSON.readTree(entries.get("repositories"));
    assertEquals(spec.diffIds().getLast().hex(), repositories.get("multi").get("1").asText());
    assertEquals("{\"imageLayoutVersion\": \"1.0.0\"}", new String(entries.get("oci-layout")));
  }

  @Test
  void saveThenLoadRoundTripsToTheSameIds() {
    ImageId multi = f.loadMultiLayer("multi:1");
    ImageId busybox = f.loadBusybox("busybox:latest");
    byte[] archive = save("multi:1", "busybox");
    var other = new ServiceFixture(tmp.resolve("b"));
    List<LoadedImage> loaded = other.images.load(new ByteArrayInputStream(archive), other.progress::add);
    assertEquals(List.of(multi, busybox), loaded.stream().map(LoadedImage::id).toList());
    assertEquals(multi, other.images.find("multi:1").id());
    assertEquals(busybox, other.images.find("busybox:latest").id());
    assertEquals(List.of("Loaded image: multi:1", "Loaded image: busybox:latest"), other.progress);
  }

  @Test
  void gzipStoredLayersAreSavedUncompressed() throws IOException {
    Path archive = tmp.resolve("gz.tar");
    ImageId id = BusyboxImages.dockerSave(archive, List.of("gz:1"), ImageSpec.busybox().gzipped());
    f.load(archive);
    Map<String, byte[]> entries = entries(save("gz:1"));
    Digest diffId = ImageSpec.busybox().diffIds().getFirst();
    assertEquals(diffId, Digest.of(entries.get("blobs/sha256/" + diffId.hex())));
    var other = new ServiceFixture(tmp.resolve("b"));
    other.images.load(new ByteArrayInputStream(save("gz:1")), s -> {});
    assertEquals(id, other.images.find("gz:1").id());
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void savingByIdGivesNoRepoTags() throws IOException {
    ImageId id = f.loadBusybox("busybox:latest");
    Map<String, byte[]> entries = entries(save(id.digest().shortHex()));
    assertTrue(JSON.readTree(entries.get("manifest.json")).get(0).get("RepoTags").isNull());
    assertTrue(!entries.containsKey("repositories"));
    var other = new ServiceFixture(tmp.resolve("b"));
    other.images.load(new ByteArrayInputStream(save(id.toString())), other.progress::add);
    assertEquals(List.of("Loaded image ID: " + id), other.progress);
  }

  @Test
  void aBareRepositorySavesAllItsTags() throws IOException {
    f.loadBusybox("busybox:latest", "busybox:1.36", "other:1");
    JsonNode manifest = JSON.readTree(entries(save("busybox")).get("manifest.json"));
    assertEquals("[\"busybox:1.36\",\"busybox:latest\"]", manifest.get(0).get("RepoTags").toString());
  }

  @Test
  void unknownNameIsNotFound() {
    f.loadBusybox("busybox:latest");
    var e = assertThrows(NotFoundException.class, () -> save("busybox:nope"));
    assertEquals("No such image: busybox:nope", e.getMessage());
  }
}
