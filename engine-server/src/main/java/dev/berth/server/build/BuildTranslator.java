package dev.berth.server.build;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.build.BuildOptions;
import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.Resources;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.Platform;
import dev.berth.core.image.registry.Credentials;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.Json;
import dev.berth.server.image.RegistryAuthTranslator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /build}'s query as dockerd reads it (moby newImageBuildOptions): every parameter
 * either becomes part of {@link BuildOptions} or, where berth cannot honour it, is refused with
 * a 400 before the context is read.
 */
final class BuildTranslator {

  static final String NO_BUILDKIT =
      "berth has no BuildKit: builder version 2 (and its /session and /grpc endpoints) is not supported; "
          + "build with the classic builder (DOCKER_BUILDKIT=0, or docker build's --builder-version 1)";

  private BuildTranslator() {}

  static BuildOptions options(ApiRequest req) {
    if (!req.queryAll("securityopt").isEmpty()) {
      throw new InvalidArgumentException("security options are not supported on linux");
    }
    String isolation = req.query("isolation").orElse("");
    if (!isolation.isEmpty() && !isolation.equalsIgnoreCase("default")) {
      throw new InvalidArgumentException("unsupported isolation: \"" + isolation + "\"");
    }
    String version = req.query("version").orElse("");
    if (version.equals("2")) {
      throw new InvalidArgumentException(NO_BUILDKIT);
    }
    if (!version.isEmpty() && !version.equals("1")) {
      throw new InvalidArgumentException("invalid version \"" + version + "\"");
    }
    if (req.bool("squash")) {
      throw new InvalidArgumentException("squash is only supported with experimental mode");
    }
    String remote = req.query("remote").orElse("");
    if (remote.equals("client-session")) {
      throw new InvalidArgumentException("experimental session with v1 builder is no longer supported, use builder "
          + "version v2 (BuildKit) instead");
    }
    if (!remote.isEmpty()) {
      throw new InvalidArgumentException("berth builds from the uploaded context only: a remote context (" + remote
          + ") is not supported; send the context as a tar");
    }
    if (!req.query("session").orElse("").isEmpty()) {
      throw new InvalidArgumentException(NO_BUILDKIT);
    }
    String outputs = req.query("outputs").orElse("");
    if (!outputs.isEmpty() && !json(outputs, "invalid outputs specified").isEmpty()
        && json(outputs, "invalid outputs specified").isArray()) {
      throw new InvalidArgumentException("the classic builder makes an image only: outputs are not supported");
    }
    var ulimits = new ArrayList<ProcessOptions.Ulimit>();
    String u = req.query("ulimits").orElse("");
    if (!u.isEmpty()) {
      JsonNode list = json(u, "error reading ulimit settings");
      if (!list.isNull() && !list.isArray()) {
        throw new InvalidArgumentException("error reading ulimit settings: json: cannot unmarshal "
            + list.getNodeType().toString().toLowerCase(Locale.ROOT) + " into Go value of type []*container.Ulimit");
      }
      for (JsonNode l : list) {
        ulimits.add(new ProcessOptions.Ulimit(l.path("Name").asText(""), l.path("Soft").asLong(0),
            l.path("Hard").asLong(0)));
      }
    }
    var cacheFrom = new ArrayList<String>();
    String cf = req.query("cachefrom").orElse("");
    if (!cf.isEmpty()) {
      JsonNode list = json(cf, "error reading cache-from");
      if (!list.isNull() && !list.isArray()) {
        throw new InvalidArgumentException("error reading cache-from: json: cannot unmarshal "
            + list.getNodeType().toString().toLowerCase(Locale.ROOT) + " into Go value of type []string");
      }
      for (JsonNode ref : list) {
        if (!ref.isTextual()) {
          throw new InvalidArgumentException("error reading cache-from: json: cannot unmarshal "
              + ref.getNodeType().toString().toLowerCase(Locale.ROOT) + " into Go value of type string");
        }
        cacheFrom.add(ref.asText());
      }
    }
    String platform = req.query("platform").orElse("");
    if (!platform.isEmpty() && !Platform.host().accepts(Platform.parse(platform))) {
      throw new InvalidArgumentException("berth builds for the host's platform (" + Platform.host()
          + ") only; --platform=" + platform + " is not it");
    }
    boolean forceRemove = req.bool("forcerm");
    boolean remove = forceRemove || req.query("rm").filter(s -> !s.isEmpty()).map(ApiRequest::truthy).orElse(true);
    var resources = new Resources(int64(req, "memory"), int64(req, "memswap"), null, int64(req, "cpushares"),
        int64(req, "cpuperiod"), int64(req, "cpuquota"), null, emptyToNull(req.query("cpusetcpus")),
        emptyToNull(req.query("cpusetmems")), null);
    long shm = 0;
    String s = req.query("shmsize").orElse("");
    if (!s.isEmpty()) {
      try {
        shm = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException("strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
      }
    }
    return new BuildOptions(tags(req.queryAll("t")), req.query("dockerfile").orElse(""),
        stringMap(req.query("buildargs").orElse(""), "error reading build args: "),
        stringMap(req.query("labels").orElse(""), "error reading labels: "),
        req.query("target").orElse(""), req.bool("nocache"), remove, forceRemove, req.bool("pull"),
        req.query("networkmode").orElse(""), resources, shm, extraHosts(req.queryAll("extrahosts")),
        req.query("cgroupparent").orElse(""), ulimits, cacheFrom);
  }

  /** Go's Int64ValueOrZero: unset or unparsable is zero, which means "no limit". */
  private static Long int64(ApiRequest req, String name) {
    try {
      long v = Long.parseLong(req.query(name).orElse("0"));
      return v == 0 ? null : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String emptyToNull(Optional<String> v) {
    return v.filter(s -> !s.isEmpty()).orElse(null);
  }

  /** The CLI sends each --add-host as {@code host:ip}; a comma-separated list in one value is split too. */
  private static List<String> extraHosts(List<String> raw) {
    var out = new ArrayList<String>();
    for (String r : raw) {
      for (String h : r.split(",")) {
        if (!h.isBlank()) {
          out.add(h.strip());
        }
      }
    }
    return out;
  }

  /** moby sanitizeRepoAndTags: empty names skipped, a digest refused, the default tag added, duplicates dropped. */
  static List<ImageReference> tags(List<String> names) {
    var seen = new LinkedHashSet<String>();
    var out = new ArrayList<ImageReference>();
    for (String n : names) {
      if (n.isEmpty()) {
        continue;
      }
      ImageReference ref = ImageReference.parse(n);
      if (ref.digest() != null) {
        throw new InvalidArgumentException("build tag cannot contain a digest");
      }
      ref = ref.withDefaultTag();
      if (seen.add(ref.toString())) {
        out.add(ref);
      }
    }
    return out;
  }

  private static JsonNode json(String text, String what) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new InvalidArgumentException(what + ": " + e.getMessage());
    }
  }

  /** A JSON object of strings from a query parameter (buildargs, labels); empty for none. */
  static Map<String, String> stringMap(String text, String error) {
    if (text.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, String> m = Json.MAPPER.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
      return m == null ? Map.of() : m;
    } catch (IOException e) {
      throw new InvalidArgumentException(error + e.getMessage());
    }
  }

  /**
   * The credentials in {@code X-Registry-Config} (base64url JSON of registry to auth config, as
   * the CLI sends every login it has) for the registry of {@code ref}; none when absent or
   * unreadable, as dockerd ignores decode errors there.
   */
  static Credentials credentials(String header, ImageReference ref) {
    if (header == null || header.isEmpty()) {
      return null;
    }
    try {
      JsonNode all = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(pad(header.strip())));
      String want = ref.domain().toLowerCase(Locale.ROOT);
      var it = all.fields();
      while (it.hasNext()) {
        var e = it.next();
        String host = e.getKey().replaceFirst("^https?://", "").replaceFirst("/.*$", "").toLowerCase(Locale.ROOT);
        if (host.equals("index.docker.io") || host.equals("registry-1.docker.io")) {
          host = "docker.io";
        }
        if (host.equals(want)) {
          return RegistryAuthTranslator.credentials(e.getValue());
        }
      }
      return null;
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String pad(String s) {
    int r = s.length() % 4;
    return r == 0 ? s : s + "=".repeat(4 - r);
  }
}
