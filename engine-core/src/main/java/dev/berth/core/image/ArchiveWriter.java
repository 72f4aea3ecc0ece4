package dev.berth.core.image;

import dev.berth.core.fs.FileTrees;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes what {@code docker save} writes since Docker 25: an OCI image layout ({@code oci-layout},
 * {@code index.json}, {@code blobs/sha256/*}) that is also a docker-save archive
 * ({@code manifest.json}, {@code repositories}). Layers go in uncompressed, so each layer blob's
 * digest is its diffID and {@code docker load} reproduces the same image ID.
 */
final class ArchiveWriter {

  /** An image to save with the tags to give it in the archive (none when saved by ID). */
  record SavedImage(Image image, List<ImageReference> tags) {

    SavedImage {
      tags = List.copyOf(tags);
    }
  }

  private sealed interface Blob {
    long size() throws IOException;

    void writeTo(OutputStream out) throws IOException;
  }

  private record Bytes(byte[] content) implements Blob {
    public long size() {
      return content.length;
    }

    public void writeTo(OutputStream out) throws IOException {
      out.write(content);
    }
  }

  private record File(Path path) implements Blob {
    public long size() throws IOException {
      return Files.size(path);
    }

    public void writeTo(OutputStream out) throws IOException {
      Files.copy(path, out);
    }
  }

  private static final String OCI_LAYOUT = "{\"imageLayoutVersion\": \"1.0.0\"}";
  private static final long EPOCH = 0;

  private final BlobStore blobs;
  private final LayerStore layers;
  private final Scratch scratch;
  private final Map<Digest, Blob> contents = new TreeMap<>();
  private final List<Path> temps = new ArrayList<>();

  ArchiveWriter(BlobStore blobs, LayerStore layers, Scratch scratch) {
    this.blobs = blobs;
    this.layers = layers;
    this.scratch = scratch;
  }

  void write(List<SavedImage> images, OutputStream out) {
    try {
      ArrayNode index = GoJson.MAPPER.createArrayNode();
      ArrayNode manifest = GoJson.MAPPER.createArrayNode();
      Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
      for (SavedImage s : images) {
        addImage(s, index, manifest, repositories);
      }
      writeTar(index, manifest, repositories, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      temps.forEach(FileTrees::delete);
    }
  }

  private void addImage(SavedImage s, ArrayNode index, ArrayNode manifest, Map<String, Map<String, String>> repos)
      throws IOException {
    Image img = s.image();
    ImageConfig config = img.config();
    byte[] configBytes = blobs.read(img.id().digest());
    contents.put(img.id().digest(), new Bytes(configBytes));

    ObjectNode m = GoJson.MAPPER.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    ObjectNode cd = m.putObject("config");
    cd.put("mediaType", MediaTypes.OCI_CONFIG);
    cd.put("digest", img.id().toString());
    cd.put("size", configBytes.length);
    ArrayNode ls = m.putArray("layers");
    List<ChainId> chain = img.chainIds();
    var layerPaths = new ArrayList<String>();
    for (int i = 0; i < chain.size(); i++) {
      Digest diffId = config.diffIds().get(i);
      Blob tar = uncompressedLayer(chain.get(i), diffId);
      ObjectNode ld = ls.addObject();
      ld.put("mediaType", MediaTypes.OCI_LAYER);
      ld.put("digest", diffId.toString());
      ld.put("size", tar.size());
      layerPaths.add(blobPath(diffId));
    }
    byte[] manifestBytes = json(m);
    Digest manifestDigest = Digest.of(manifestBytes);
    contents.put(manifestDigest, new Bytes(manifestBytes));

    ObjectNode platform = GoJson.MAPPER.createObjectNode();
    platform.put("architecture", config.architecture());
    platform.put("os", config.os());
    if (!config.variant().isEmpty()) {
      platform.put("variant", config.variant());
    }
    var repoTags = new ArrayList<String>();
    for (ImageReference tag : s.tags()) {
      ObjectNode d = descriptor(index, manifestDigest, manifestBytes.length, platform);
      ObjectNode annotations = GoJson.MAPPER.createObjectNode();
      annotations.put(ArchiveReader.IMAGE_NAME_ANNOTATION, tag.toString());
      annotations.put(ArchiveReader.REF_NAME_ANNOTATION, tag.tag());
      d.set("annotations", annotations);
      d.set("platform", d.remove("platform"));
      repoTags.add(tag.familiar());
      String last = config.diffIds().isEmpty() ? "" : config.diffIds().getLast().hex();
      repos.computeIfAbsent(tag.familiarRepository(), k -> new LinkedHashMap<>()).put(tag.tag(), last);
    }
    if (s.tags().isEmpty()) {
      descriptor(index, manifestDigest, manifestBytes.length, platform);
    }

    ObjectNode item = manifest.addObject();
    item.put("Config", blobPath(img.id().digest()));
    if (repoTags.isEmpty()) {
      item.putNull("RepoTags");
    } else {
      ArrayNode rt = item.putArray("RepoTags");
      repoTags.forEach(rt::add);
    }
    ArrayNode lp = item.putArray("Layers");
    layerPaths.forEach(lp::add);
  }

  private static ObjectNode descriptor(ArrayNode index, Digest digest, long size, ObjectNode platform) {
    ObjectNode d = index.addObject();
    d.put("mediaType", MediaTypes.OCI_MANIFEST);
    d.put("digest", digest.toString());
    d.put("size", size);
    d.set("platform", platform.deepCopy());
    return d;
  }

  /** The layer as an uncompressed tar: the stored blob if it is one, else decompressed into scratch. */
  private Blob uncompressedLayer(ChainId chainId, Digest diffId) throws IOException {
    Blob known = contents.get(diffId);
    if (known != null) {
      return known;
    }
    Layer layer = layers.find(chainId).orElseThrow(() -> new InternalException("layer " + chainId + " is missing"));
    Blob blob;
    if (layer.blob().equals(diffId)) {
      blob = new File(blobs.path(layer.blob()));
    } else {
      Path tmp = scratch.newFile("save-");
      temps.add(tmp);
      MessageDigest md = Digest.sha256();
      try (InputStream in = layers.openUncompressed(layer.blob());
          OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), md)) {
        in.transferTo(out);
      }
      if (!Digest.of(md).equals(diffId)) {
        throw new InternalException("layer " + chainId + ": stored blob does not match diffID " + diffId);
      }
      blob = new File(tmp);
    }
    contents.put(diffId, blob);
    return blob;
  }

  private void writeTar(ArrayNode index, ArrayNode manifest, Map<String, Map<String, String>> repos, OutputStream out)
      throws IOException {
    var tar = new TarArchiveOutputStream(out);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    directory(tar, "blobs/");
    directory(tar, "blobs/sha256/");
    for (var e : contents.entrySet()) {
      TarArchiveEntry entry = file(blobPath(e.getKey()), e.getValue().size());
      tar.putArchiveEntry(entry);
      e.getValue().writeTo(tar);
      tar.closeArchiveEntry();
    }
    ObjectNode idx = GoJson.MAPPER.createObjectNode();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", MediaTypes.OCI_INDEX);
    idx.set("manifests", index);
    small(tar, ArchiveReader.INDEX_JSON, json(idx));
    small(tar, ArchiveReader.MANIFEST_JSON, withNewline(json(manifest)));
    small(tar, "oci-layout", OCI_LAYOUT.getBytes(StandardCharsets.UTF_8));
    if (!repos.isEmpty()) {
      small(tar, "repositories", withNewline(json(GoJson.MAPPER.valueToTree(repos))));
    }
    tar.finish();
    tar.flush();
  }

  private static void directory(TarArchiveOutputStream tar, String name) throws IOException {
    var e = new TarArchiveEntry(name);
    e.setMode(040755);
    e.setModTime(EPOCH);
    tar.putArchiveEntry(e);
    tar.closeArchiveEntry();
  }

  private static void small(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
    tar.putArchiveEntry(file(name, content.length));
    tar.write(content);
    tar.closeArchiveEntry();
  }

  private static TarArchiveEntry file(String name, long size) {
    var e = new TarArchiveEntry(name);
    e.setMode(0100644);
    e.setSize(size);
    e.setModTime(EPOCH);
    return e;
  }

  private static String blobPath(Digest d) {
    return "blobs/sha256/" + d.hex();
  }

  private static byte[] json(com.fasterxml.jackson.databind.JsonNode n) {
    try {
      return GoJson.MAPPER.writeValueAsBytes(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Go's json.Encoder ends each value with a newline. */
  private static byte[] withNewline(byte[] b) {
    byte[] out = java.util.Arrays.copyOf(b, b.length + 1);
    out[b.length] = '\n';
    return out;
  }
}
