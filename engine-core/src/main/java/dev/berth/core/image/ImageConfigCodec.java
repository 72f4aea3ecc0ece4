package dev.berth.core.image;

import static dev.berth.core.image.GoJson.field;
import static dev.berth.core.image.GoJson.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.error.InvalidArgumentException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Image config JSON (OCI image spec "config", Docker's image JSON) to {@link ImageConfig} and
 * back, with Docker's key spellings. Reading is as lenient as Go's encoding/json: unknown keys are
 * ignored and keys match case-insensitively when no exact match exists. The bytes an image came
 * with are kept as they are; this writes only configs the engine makes itself.
 */
public final class ImageConfigCodec {

  private static final ObjectMapper JSON = GoJson.MAPPER;
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

  private ImageConfigCodec() {}

  /** @throws InvalidArgumentException if the bytes are not an image config */
  public static ImageConfig parse(byte[] json) {
    JsonNode root = GoJson.parse(json, "image config");
    if (!root.isObject()) {
      throw new InvalidArgumentException("invalid image config: not a JSON object");
    }
    JsonNode rootfs = field(root, "rootfs");
    var diffIds = new ArrayList<Digest>();
    for (String s : strings(rootfs == null ? null : field(rootfs, "diff_ids"), "rootfs.diff_ids", List.of())) {
      diffIds.add(digest(s));
    }
    var history = new ArrayList<HistoryEntry>();
    JsonNode h = field(root, "history");
    if (h != null && h.isArray()) {
      for (JsonNode e : h) {
        history.add(new HistoryEntry(time(field(e, "created")), text(field(e, "created_by")), text(field(e, "author")),
            text(field(e, "comment")), bool(field(e, "empty_layer"))));
      }
    }
    return new ImageConfig(text(field(root, "architecture")), text(field(root, "os")), text(field(root, "variant")),
        time(field(root, "created")), text(field(root, "author")), text(field(root, "comment")),
        text(field(root, "docker_version")), runConfig(field(root, "config")), diffIds, history);
  }

  public static byte[] write(ImageConfig c) {
    ObjectNode root = JSON.createObjectNode();
    if (c.created() != null) {
      root.put("created", formatTime(c.created()));
    }
    putIfSet(root, "author", c.author());
    putIfSet(root, "comment", c.comment());
    putIfSet(root, "docker_version", c.dockerVersion());
    root.put("architecture", c.architecture());
    root.put("os", c.os());
    putIfSet(root, "variant", c.variant());
    root.set("config", writeRunConfig(c.config()));
    ObjectNode rootfs = root.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.putArray("diff_ids");
    c.diffIds().forEach(d -> ids.add(d.toString()));
    if (!c.history().isEmpty()) {
      ArrayNode hist = root.putArray("history");
      for (HistoryEntry e : c.history()) {
        ObjectNode o = hist.addObject();
        if (e.created() != null) {
          o.put("created", formatTime(e.created()));
        }
        putIfSet(o, "created_by", e.createdBy());
        putIfSet(o, "author", e.author());
        putIfSet(o, "comment", e.comment());
        if (e.emptyLayer()) {
          o.put("empty_layer", true);
        }
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /** Go's RFC3339Nano: UTC as {@code Z}, fraction with trailing zeros dropped. */
  static String formatTime(Instant t) {
    var utc = t.atOffset(ZoneOffset.UTC);
    String s = SECONDS.format(utc);
    int nanos = utc.getNano();
    if (nanos != 0) {
      String frac = String.format("%09d", nanos).replaceAll("0+$", "");
      s += "." + frac;
    }
    return s + "Z";
  }

  private static ImageRunConfig runConfig(JsonNode n) {
    if (n == null || !n.isObject()) {
      return ImageRunConfig.EMPTY;
    }
    return new ImageRunConfig(text(field(n, "User")), keys(field(n, "ExposedPorts")),
        strings(field(n, "Env"), "Env", List.of()), strings(field(n, "Entrypoint"), "Entrypoint", null),
        strings(field(n, "Cmd"), "Cmd", null), keys(field(n, "Volumes")), text(field(n, "WorkingDir")),
        labels(field(n, "Labels")), text(field(n, "StopSignal")), integer(field(n, "StopTimeout")),
        healthcheck(field(n, "Healthcheck")), strings(field(n, "OnBuild"), "OnBuild", null),
        strings(field(n, "Shell"), "Shell", null), bool(field(n, "ArgsEscaped")));
  }

  private static ObjectNode writeRunConfig(ImageRunConfig r) {
    ObjectNode o = JSON.createObjectNode();
    putIfSet(o, "User", r.user());
    if (!r.exposedPorts().isEmpty()) {
      ObjectNode ports = o.putObject("ExposedPorts");
      new TreeSet<>(r.exposedPorts()).forEach(p -> ports.putObject(p));
    }
    if (!r.env().isEmpty()) {
      putStrings(o, "Env", r.env());
    }
    if (r.cmd() != null) {
      putStrings(o, "Cmd", r.cmd());
    }
    if (r.healthcheck() != null) {
      Healthcheck hc = r.healthcheck();
      ObjectNode h = o.putObject("Healthcheck");
      if (hc.test() != null) {
        putStrings(h, "Test", hc.test());
      }
      putIfNonZero(h, "Interval", hc.interval());
      putIfNonZero(h, "Timeout", hc.timeout());
      putIfNonZero(h, "StartPeriod", hc.startPeriod());
      putIfNonZero(h, "StartInterval", hc.startInterval());
      putIfNonZero(h, "Retries", hc.retries());
    }
    if (r.argsEscaped()) {
      o.put("ArgsEscaped", true);
    }
    if (!r.volumes().isEmpty()) {
      ObjectNode vols = o.putObject("Volumes");
      new TreeSet<>(r.volumes()).forEach(v -> vols.putObject(v));
    }
    putIfSet(o, "WorkingDir", r.workingDir());
    if (r.entrypoint() != null) {
      putStrings(o, "Entrypoint", r.entrypoint());
    }
    if (r.onBuild() != null) {
      putStrings(o, "OnBuild", r.onBuild());
    }
    if (!r.labels().isEmpty()) {
      ObjectNode labels = o.putObject("Labels");
      new TreeMap<>(r.labels()).forEach(labels::put);
    }
    putIfSet(o, "StopSignal", r.stopSignal());
    if (r.stopTimeout() != null) {
      o.put("StopTimeout", r.stopTimeout());
    }
    if (r.shell() != null) {
      putStrings(o, "Shell", r.shell());
    }
    return o;
  }

  private static Healthcheck healthcheck(JsonNode n) {
    if (n == null || !n.isObject()) {
      return null;
    }
    return new Healthcheck(strings(field(n, "Test"), "Healthcheck.Test", null), number(field(n, "Interval")),
        number(field(n, "Timeout")), number(field(n, "StartPeriod")), number(field(n, "StartInterval")),
        (int) number(field(n, "Retries")));
  }

  private static boolean bool(JsonNode n) {
    return n != null && n.asBoolean(false);
  }

  private static long number(JsonNode n) {
    return n == null || n.isNull() ? 0 : n.asLong();
  }

  private static Integer integer(JsonNode n) {
    return n == null || n.isNull() ? null : n.asInt();
  }

  /** A string list; like Docker's strslice, a lone string is a one-element list. */
  private static List<String> strings(JsonNode n, String what, List<String> absent) {
    if (n == null || n.isNull()) {
      return absent;
    }
    if (n.isTextual()) {
      return List.of(n.asText());
    }
    if (!n.isArray()) {
      throw new InvalidArgumentException("invalid image config: " + what + " is not a list of strings");
    }
    var out = new ArrayList<String>();
    n.forEach(e -> out.add(e.asText()));
    return out;
  }

  private static Set<String> keys(JsonNode n) {
    var out = new LinkedHashSet<String>();
    if (n != null && n.isObject()) {
      n.properties().forEach(e -> out.add(e.getKey()));
    }
    return out;
  }

  private static Map<String, String> labels(JsonNode n) {
    var out = new LinkedHashMap<String, String>();
    if (n != null && n.isObject()) {
      n.properties().forEach(e -> out.put(e.getKey(), text(e.getValue())));
    }
    return out;
  }

  private static Instant time(JsonNode n) {
    if (n == null || n.isNull() || n.asText().isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(n.asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidArgumentException("invalid image config: bad time " + n.asText(), e);
    }
  }

  private static Digest digest(String s) {
    if (!Digest.isDigest(s)) {
      throw new InvalidArgumentException("invalid image config: bad diff_id " + s);
    }
    return Digest.parse(s);
  }

  private static void putIfSet(ObjectNode o, String key, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(key, value);
    }
  }

  private static void putIfNonZero(ObjectNode o, String key, long value) {
    if (value != 0) {
      o.put(key, value);
    }
  }

  private static void putStrings(ObjectNode o, String key, List<String> values) {
    ArrayNode a = o.putArray(key);
    values.forEach(a::add);
  }
}
