package dev.berth.core.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading OCI and Docker schema2 manifests and indexes, wherever they come from (an archive, a
 * registry), and choosing an index's entry for a platform. Error messages name {@code what} was
 * being read, so a bad archive and a bad registry answer read differently.
 */
public final class Manifests {

  /** An image manifest: its config and its layers, bottom first. */
  public record ImageManifest(String mediaType, Descriptor config, List<Descriptor> layers) {

    public ImageManifest {
      layers = List.copyOf(layers);
    }
  }

  private Manifests() {}

  /**
   * What a manifest document is: its declared media type, or for one that declares none (OCI
   * allows that), what its JSON looks like.
   */
  public static String kind(JsonNode n) {
    String declared = GoJson.text(GoJson.field(n, "mediaType"));
    if (!declared.isEmpty()) {
      return declared;
    }
    if (GoJson.field(n, "manifests") != null) {
      return MediaTypes.OCI_INDEX;
    }
    return GoJson.field(n, "config") != null ? MediaTypes.OCI_MANIFEST : "";
  }

  /** The entries of an index (or manifest list). */
  public static List<Descriptor> entries(JsonNode index, String what) {
    JsonNode ms = GoJson.field(index, "manifests");
    var out = new ArrayList<Descriptor>();
    if (ms != null && ms.isArray()) {
      for (JsonNode m : ms) {
        out.add(descriptor(m, what));
      }
    }
    return out;
  }

  /** @throws InvalidArgumentException if the manifest has no config descriptor or a bad layer descriptor */
  public static ImageManifest imageManifest(JsonNode manifest, String what) {
    Descriptor config = descriptor(GoJson.field(manifest, "config"), what);
    var layers = new ArrayList<Descriptor>();
    JsonNode ls = GoJson.field(manifest, "layers");
    if (ls != null && ls.isArray()) {
      for (JsonNode l : ls) {
        layers.add(descriptor(l, what));
      }
    }
    return new ImageManifest(kind(manifest), config, layers);
  }

  /**
   * The entry of an index for {@code platform}: of those it accepts, one naming exactly its
   * variant first, else the first, as containerd's platform matcher orders them.
   */
  public static Optional<Descriptor> forPlatform(List<Descriptor> entries, Platform platform) {
    Descriptor first = null;
    for (Descriptor d : entries) {
      Platform p = d.platform();
      if (p == null || !platform.accepts(p)) {
        continue;
      }
      if (p.variant().equals(platform.variant())) {
        return Optional.of(d);
      }
      if (first == null) {
        first = d;
      }
    }
    return Optional.ofNullable(first);
  }

  static Descriptor descriptor(JsonNode n, String what) {
    if (n == null || !n.isObject()) {
      throw new InvalidArgumentException("invalid " + what + ": missing descriptor");
    }
    String digest = GoJson.text(GoJson.field(n, "digest"));
    if (!Digest.isDigest(digest)) {
      throw new InvalidArgumentException("invalid " + what + ": unsupported digest \"" + digest + "\"");
    }
    JsonNode size = GoJson.field(n, "size");
    Map<String, String> annotations = new LinkedHashMap<>();
    JsonNode a = GoJson.field(n, "annotations");
    if (a != null && a.isObject()) {
      a.properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asText()));
    }
    var urls = new ArrayList<String>();
    JsonNode u = GoJson.field(n, "urls");
    if (u != null && u.isArray()) {
      u.forEach(x -> urls.add(x.asText()));
    }
    return new Descriptor(GoJson.text(GoJson.field(n, "mediaType")), Digest.parse(digest),
        size != null && size.canConvertToLong() ? size.asLong() : -1, platform(GoJson.field(n, "platform")),
        annotations, urls);
  }

  private static Platform platform(JsonNode p) {
    String os = GoJson.text(GoJson.field(p, "os"));
    String arch = GoJson.text(GoJson.field(p, "architecture"));
    if (p == null || os.isEmpty() || arch.isEmpty()) {
      return null;
    }
    return new Platform(os, arch, GoJson.text(GoJson.field(p, "variant")));
  }
}
