package dev.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the images in a spooled archive: a docker-save archive ({@code manifest.json}, legacy or
 * Docker 25+ paths) or an OCI image layout ({@code index.json}, no manifest.json). Only reads and
 * checks JSON; layer content is verified when it is extracted.
 */
final class ArchiveReader {

  /** A layer as the archive holds it. {@code expected} is its digest when its path promises one. */
  record ArchiveLayer(String path, Digest expected) {}

  /** One image to import: its config bytes exactly as stored, its layers bottom first, its names. */
  record ArchiveImage(byte[] config, List<ArchiveLayer> layers, List<ImageReference> tags) {

    ArchiveImage {
      layers = List.copyOf(layers);
      tags = List.copyOf(tags);
    }
  }

  private record Descriptor(String mediaType, Digest digest, JsonNode platform, JsonNode annotations) {}

  static final String MANIFEST_JSON = "manifest.json";
  static final String INDEX_JSON = "index.json";
  static final String IMAGE_NAME_ANNOTATION = "io.containerd.image.name";
  static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
  private static final Pattern BLOB_PATH = Pattern.compile("blobs/sha256/([a-f0-9]{64})");
  private static final Pattern LEGACY_CONFIG_PATH = Pattern.compile("([a-f0-9]{64})\\.json");
  private static final Pattern BARE_TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_INDEX_DEPTH = 4;

  private final ArchiveSpool spool;
  private final Platform platform;

  private ArchiveReader(ArchiveSpool spool, Platform platform) {
    this.spool = spool;
    this.platform = platform;
  }

  /** @throws InvalidArgumentException if the archive is neither format or is malformed */
  static List<ArchiveImage> read(ArchiveSpool spool, Platform platform) {
    var r = new ArchiveReader(spool, platform);
    if (spool.has(MANIFEST_JSON)) {
      return r.dockerSave();
    }
    if (spool.has(INDEX_JSON)) {
      return r.ociLayout();
    }
    throw new InvalidArgumentException("invalid archive: neither manifest.json nor index.json found");
  }

  private List<ArchiveImage> dockerSave() {
    JsonNode manifest = GoJson.parse(spool.read(MANIFEST_JSON), MANIFEST_JSON);
    if (manifest.isNull()) {
      throw new InvalidArgumentException("invalid manifest, manifest cannot be null (but can be [])");
    }
    if (!manifest.isArray()) {
      throw new InvalidArgumentException("invalid manifest: not a list");
    }
    var out = new ArrayList<ArchiveImage>();
    for (JsonNode item : manifest) {
      String configPath = ArchiveSpool.normalize(GoJson.text(GoJson.field(item, "Config")));
      byte[] config = spool.read(configPath);
      Digest expected = promisedDigest(configPath, true);
      if (expected != null && !Digest.of(config).equals(expected)) {
        throw new InvalidArgumentException("invalid archive: config " + configPath + " does not match its digest");
      }
      var layers = new ArrayList<ArchiveLayer>();
      JsonNode ls = GoJson.field(item, "Layers");
      if (ls != null && ls.isArray()) {
        for (JsonNode l : ls) {
          String path = ArchiveSpool.normalize(l.asText());
          layers.add(new ArchiveLayer(path, promisedDigest(path, false)));
        }
      }
      var tags = new ArrayList<ImageReference>();
      JsonNode rt = GoJson.field(item, "RepoTags");
      if (rt != null && rt.isArray()) {
        for (JsonNode t : rt) {
          ImageReference ref = ImageReference.parse(t.asText());
          if (ref.tag() == null || ref.digest() != null) {
            throw new InvalidArgumentException("invalid tag \"" + t.asText() + "\"");
          }
          tags.add(ref);
        }
      }
      out.add(new ArchiveImage(config, layers, tags));
    }
    return out;
  }

  private List<ArchiveImage> ociLayout() {
    JsonNode index = GoJson.parse(spool.read(INDEX_JSON), INDEX_JSON);
    // Docker writes one index entry per tag, all pointing at the same manifest: group by manifest.
    Map<Digest, List<ImageReference>> manifests = new LinkedHashMap<>();
    List<Descriptor> top = descriptors(index);
    // A layout may list one manifest per platform at the top; then only this platform's are wanted.
    if (top.stream().anyMatch(this::forThisPlatform)) {
      top = top.stream().filter(d -> d.platform() == null || forThisPlatform(d)).toList();
    }
    for (Descriptor d : top) {
      Descriptor m = chooseManifest(d, 0);
      if (m == null) {
        continue;
      }
      List<ImageReference> names = manifests.computeIfAbsent(m.digest(), k -> new ArrayList<>());
      ImageReference name = name(d.annotations());
      if (name != null && !names.contains(name)) {
        names.add(name);
      }
    }
    var out = new ArrayList<ArchiveImage>();
    for (var e : manifests.entrySet()) {
      JsonNode manifest = GoJson.parse(blob(e.getKey()), "manifest " + e.getKey());
      Descriptor config = descriptor(GoJson.field(manifest, "config"));
      var layers = new ArrayList<ArchiveLayer>();
      JsonNode ls = GoJson.field(manifest, "layers");
      if (ls != null && ls.isArray()) {
        for (JsonNode l : ls) {
          Digest d = descriptor(l).digest();
          layers.add(new ArchiveLayer(blobPath(d), d));
        }
      }
      out.add(new ArchiveImage(blob(config.digest()), layers, e.getValue()));
    }
    return out;
  }

  /**
   * The image manifest a top-level index entry stands for: itself, or from a nested index the one
   * for this platform. Null for entries that are no image (attestations and other artifacts).
   */
  private Descriptor chooseManifest(Descriptor d, int depth) {
    String kind = kind(d);
    if (MediaTypes.isManifest(kind)) {
      return d;
    }
    if (!MediaTypes.isIndex(kind) || depth >= MAX_INDEX_DEPTH) {
      return null;
    }
    JsonNode nested = GoJson.parse(blob(d.digest()), "index " + d.digest());
    for (Descriptor c : descriptors(nested)) {
      if (forThisPlatform(c)) {
        Descriptor chosen = chooseManifest(c, depth + 1);
        if (chosen != null) {
          return chosen;
        }
      }
    }
    throw new InvalidArgumentException("no matching manifest for " + platform + " in the manifest list entries");
  }

  private boolean forThisPlatform(Descriptor d) {
    JsonNode p = d.platform();
    return p != null && platform.accepts(GoJson.text(GoJson.field(p, "os")),
        GoJson.text(GoJson.field(p, "architecture")), GoJson.text(GoJson.field(p, "variant")));
  }

  /** A descriptor's media type, or for one that has none, what its JSON looks like. */
  private String kind(Descriptor d) {
    if (!d.mediaType().isEmpty()) {
      return d.mediaType();
    }
    JsonNode n = GoJson.parse(blob(d.digest()), "blob " + d.digest());
    String declared = GoJson.text(GoJson.field(n, "mediaType"));
    if (!declared.isEmpty()) {
      return declared;
    }
    if (GoJson.field(n, "manifests") != null) {
      return MediaTypes.OCI_INDEX;
    }
    return GoJson.field(n, "config") != null ? MediaTypes.OCI_MANIFEST : "";
  }

  /**
   * The name an index entry gives its image. containerd's full-reference annotation wins; the OCI
   * ref name counts only when it is a whole reference, since a bare tag ("latest") names no repository.
   */
  private static ImageReference name(JsonNode annotations) {
    String full = GoJson.text(GoJson.field(annotations, IMAGE_NAME_ANNOTATION));
    String refName = GoJson.text(GoJson.field(annotations, REF_NAME_ANNOTATION));
    String candidate = !full.isEmpty() ? full : BARE_TAG.matcher(refName).matches() ? "" : refName;
    if (candidate.isEmpty()) {
      return null;
    }
    ImageReference ref = ImageReference.tryParse(candidate).orElse(null);
    if (ref == null || ref.digest() != null) {
      return null;
    }
    return ref.withDefaultTag();
  }

  private List<Descriptor> descriptors(JsonNode index) {
    JsonNode ms = GoJson.field(index, "manifests");
    var out = new ArrayList<Descriptor>();
    if (ms != null && ms.isArray()) {
      for (JsonNode m : ms) {
        out.add(descriptor(m));
      }
    }
    return out;
  }

  private static Descriptor descriptor(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new InvalidArgumentException("invalid archive: missing descriptor");
    }
    String digest = GoJson.text(GoJson.field(n, "digest"));
    if (!Digest.isDigest(digest)) {
      throw new InvalidArgumentException("invalid archive: unsupported digest \"" + digest + "\"");
    }
    return new Descriptor(GoJson.text(GoJson.field(n, "mediaType")), Digest.parse(digest), GoJson.field(n, "platform"),
        GoJson.field(n, "annotations"));
  }

  /** A blob of the layout, checked against its digest. */
  private byte[] blob(Digest d) {
    String path = blobPath(d);
    if (!spool.has(path)) {
      throw new InvalidArgumentException("invalid archive: missing blob " + d);
    }
    byte[] content = spool.read(path);
    if (!Digest.of(content).equals(d)) {
      throw new InvalidArgumentException("invalid archive: blob " + d + " does not match its digest");
    }
    return content;
  }

  private static String blobPath(Digest d) {
    return "blobs/sha256/" + d.hex();
  }

  /** Content-addressed paths name their digest; anything else promises nothing. */
  private static Digest promisedDigest(String path, boolean config) {
    var m = BLOB_PATH.matcher(path);
    if (m.matches()) {
      return new Digest(m.group(1));
    }
    var legacy = LEGACY_CONFIG_PATH.matcher(path);
    return config && legacy.matches() ? new Digest(legacy.group(1)) : null;
  }
}
