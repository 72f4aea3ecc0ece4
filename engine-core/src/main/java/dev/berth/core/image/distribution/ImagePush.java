package dev.berth.core.image.distribution;

import dev.berth.core.error.NotFoundException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.image.BlobStore;
import dev.berth.core.image.ChainId;
import dev.berth.core.image.Compression;
import dev.berth.core.image.Digest;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRepository;
import dev.berth.core.image.Layer;
import dev.berth.core.image.LayerStore;
import dev.berth.core.image.MediaTypes;
import dev.berth.core.image.Scratch;
import dev.berth.core.image.registry.Credentials;
import dev.berth.core.image.registry.Registries;
import dev.berth.core.image.registry.RegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * One {@code docker push}, as dockerd reports it: each layer is skipped if the registry has it,
 * mounted from another repository of the same registry that this image also came from or went
 * to (cross-repository blob mount), or uploaded; then the config and a Docker schema2 manifest,
 * which is what dockerd pushes.
 *
 * <p>Layers go up gzip-compressed, as dockerd sends them. A layer kept uncompressed (loaded or
 * imported) is compressed into scratch space for the push; the output is deterministic, so the
 * same layer always has the same digest and a second push finds it already there.
 */
final class ImagePush {

  private record Blob(Digest digest, long size, Path file, boolean temporary) {}

  private final ImageRepository repo;
  private final BlobStore blobs;
  private final LayerStore layers;
  private final Scratch scratch;
  private final Registries registries;
  private final Clock clock;

  ImagePush(ImageRepository repo, BlobStore blobs, LayerStore layers, Scratch scratch, Registries registries,
      Clock clock) {
    this.repo = repo;
    this.blobs = blobs;
    this.layers = layers;
    this.scratch = scratch;
    this.registries = registries;
    this.clock = clock;
  }

  void push(ImageReference ref, Credentials creds, Consumer<Progress> out) {
    out.accept(new Progress.Message(null, "The push refers to repository [" + ref.repository() + "]"));
    List<ImageReference> tags = new ArrayList<>();
    if (ref.tag() != null) {
      if (repo.findByReference(ref).isEmpty()) {
        throw new NotFoundException("tag does not exist: " + ref.familiar());
      }
      tags.add(ref);
    } else {
      for (Image img : repo.list()) {
        img.tags().stream().filter(t -> t.digest() == null && t.repository().equals(ref.repository()))
            .forEach(tags::add);
      }
      if (tags.isEmpty()) {
        throw new NotFoundException("An image does not exist locally with the tag: " + ref.familiarRepository());
      }
      tags.sort(java.util.Comparator.comparing(ImageReference::toString));
    }
    RegistryClient client = registries.clients(ref, creds, Registries.Access.PUSH).getLast();
    for (ImageReference tag : tags) {
      // Layers must not be removed while they are read for the upload.
      try (var _ = layers.adding()) {
        pushTag(client, tag, out);
      }
    }
  }

  private void pushTag(RegistryClient client, ImageReference tag, Consumer<Progress> out) {
    Image img = repo.findByReference(tag).orElseThrow(() -> new NotFoundException("tag does not exist: "
        + tag.familiar()));
    List<ChainId> chain = img.chainIds();
    List<Layer> imageLayers = new ArrayList<>();
    for (ChainId c : chain) {
      imageLayers.add(layers.find(c).orElseThrow(() -> new NotFoundException("layer " + c + " of " + tag.familiar()
          + " is missing")));
    }
    // dockerd lists the layers top first.
    for (Layer l : imageLayers.reversed()) {
      out.accept(new Progress.LayerStatus(l.diffId().shortHex(), "Preparing"));
    }
    List<String> mountSources = mountSources(img, tag);
    var manifestLayers = new ArrayList<Blob>();
    for (Layer l : imageLayers.reversed()) {
      String id = l.diffId().shortHex();
      Blob b = gzipped(l);
      try {
        if (client.hasBlob(b.digest())) {
          out.accept(new Progress.LayerStatus(id, "Layer already exists"));
        } else if (!mountSources.isEmpty()) {
          boolean mounted = client.mountOrUpload(b.digest(), mountSources.getFirst(), b.file(),
              n -> out.accept(new Progress.Transfer(id, "Pushing", n, b.size())));
          out.accept(new Progress.LayerStatus(id, mounted ? "Mounted from " + mountSources.getFirst() : "Pushed"));
        } else {
          client.upload(b.digest(), b.file(), n -> out.accept(new Progress.Transfer(id, "Pushing", n, b.size())));
          out.accept(new Progress.LayerStatus(id, "Pushed"));
        }
        manifestLayers.addFirst(new Blob(b.digest(), b.size(), null, false));
      } finally {
        if (b.temporary()) {
          FileTrees.delete(b.file());
        }
      }
    }
    Digest config = img.id().digest();
    if (!client.hasBlob(config)) {
      client.upload(config, blobs.path(config), n -> { });
    }
    byte[] manifest = manifest(config, blobs.size(config), manifestLayers);
    client.putManifest(tag.tag(), manifest, MediaTypes.DOCKER_MANIFEST);
    Digest digest = Digest.of(manifest);
    repo.addRepoDigest(img.id(), tag.withDigest(digest).toString());
    out.accept(new Progress.Message(null, tag.tag() + ": digest: " + digest + " size: " + manifest.length));
    out.accept(new Progress.Pushed(tag.tag(), digest, manifest.length));
  }

  /**
   * Other repositories of the same registry this image is known by (tags and repo digests): the
   * blobs are likely there, so the registry can mount them instead of receiving them again.
   */
  private static List<String> mountSources(Image img, ImageReference target) {
    Set<String> out = new LinkedHashSet<>();
    List<ImageReference> refs = new ArrayList<>(img.tags());
    img.repoDigests().forEach(d -> ImageReference.tryParse(d).ifPresent(refs::add));
    for (ImageReference r : refs) {
      if (r.domain().equals(target.domain()) && !r.path().equals(target.path())) {
        out.add(r.path());
      }
    }
    return List.copyOf(out);
  }

  /** The layer as a gzip blob: the stored blob if it is one, else compressed into scratch. */
  private Blob gzipped(Layer l) {
    Path stored = blobs.path(l.blob());
    if (Compression.of(stored) == Compression.GZIP) {
      return new Blob(l.blob(), blobs.size(l.blob()), stored, false);
    }
    Path file = scratch.newFile("push-");
    var md = Digest.sha256();
    try (InputStream in = layers.openUncompressed(l.blob());
        OutputStream raw = new DigestOutputStream(Files.newOutputStream(file), md);
        OutputStream gz = new GZIPOutputStream(raw, 64 * 1024)) {
      in.transferTo(gz);
    } catch (IOException e) {
      FileTrees.delete(file);
      throw new UncheckedIOException(e);
    }
    try {
      return new Blob(Digest.of(md), Files.size(file), file, true);
    } catch (IOException e) {
      FileTrees.delete(file);
      throw new UncheckedIOException(e);
    }
  }

  /** A Docker schema2 manifest, laid out as Go's json.MarshalIndent(m, "", "   ") writes it, like dockerd. */
  static byte[] manifest(Digest config, long configSize, List<Blob> layers) {
    var s = new StringBuilder();
    s.append("{\n   \"schemaVersion\": 2,\n   \"mediaType\": \"").append(MediaTypes.DOCKER_MANIFEST).append("\",\n");
    s.append("   \"config\": {\n      \"mediaType\": \"").append(MediaTypes.DOCKER_CONFIG).append("\",\n")
        .append("      \"size\": ").append(configSize).append(",\n      \"digest\": \"").append(config)
        .append("\"\n   },\n   \"layers\": [");
    for (int i = 0; i < layers.size(); i++) {
      Blob b = layers.get(i);
      s.append(i == 0 ? "\n" : ",\n").append("      {\n         \"mediaType\": \"").append(MediaTypes.DOCKER_LAYER_GZIP)
          .append("\",\n         \"size\": ").append(b.size()).append(",\n         \"digest\": \"").append(b.digest())
          .append("\"\n      }");
    }
    s.append(layers.isEmpty() ? "]\n}" : "\n   ]\n}");
    return s.toString().getBytes(StandardCharsets.UTF_8);
  }
}
