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

  static final String MANIFEST_JSON = "manifest.json";
  static final String INDEX_JSON = "index.json";
  static final String IMAGE_NAME_ANNOTATION = "io.containerd.image.name";
  static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";
  private static final Pattern BLOB_PATH = Pattern.compile("blobs/sha256/([a-f0-9]{64})");
  private static final Pattern LEGACY_CONFIG_PATH = Pattern.compile("([a-f0-9]{64})\\.json");
  private static final Pattern BARE_TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final int MAX_INDEX_DEPTH = 4;
  private static final String WHAT = "archive";

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
    List<Descriptor> top = Manifests.entries(index, WHAT);
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
      Manifests.ImageManifest m = Manifests.imageManifest(manifest, WHAT);
      var layers = new ArrayList<ArchiveLayer>();
      for (Descriptor l : m.layers()) {
        layers.add(new ArchiveLayer(blobPath(l.digest()), l.digest()));
      }
      out.add(new ArchiveImage(blob(m.config().digest()), layers, e.getValue()));
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
    List<Descriptor> candidates = new ArrayList<>(Manifests.entries(nested, WHAT));
    // Best match first; an entry that turns out to be no image gives way to the next match.
    while (true) {
      Descriptor c = Manifests.forPlatform(candidates, platform).orElse(null);
      if (c == null) {
        break;
      }
      Descriptor chosen = chooseManifest(c, depth + 1);
      if (chosen != null) {
        return chosen;
      }
      candidates.remove(c);
    }
    throw new InvalidArgumentException("no matching manifest for " + platform + " in the manifest list entries");
  }

  private boolean forThisPlatform(Descriptor d) {
    return d.platform() != null && platform.accepts(d.platform());
  }

  /** A descriptor's media type, or for one that has none, what its JSON looks like. */
  private String kind(Descriptor d) {
    if (!d.mediaType().isEmpty()) {
      return d.mediaType();
    }
    return Manifests.kind(GoJson.parse(blob(d.digest()), "blob " + d.digest()));
  }

  /**
   * The name an index entry gives its image. containerd's full-reference annotation wins; the OCI
   * ref name counts only when it is a whole reference, since a bare tag ("latest") names no repository.
   */
  private static ImageReference name(Map<String, String> annotations) {
    String full = annotations.getOrDefault(IMAGE_NAME_ANNOTATION, "");
    String refName = annotations.getOrDefault(REF_NAME_ANNOTATION, "");
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
