package dev.berth.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs CNI plugins as libcni does (CNI spec 1.0): each plugin of a list in turn, its config on
 * stdin with the previous plugin's result, the command in the environment. ADD results are kept
 * so DEL can hand them back, as libcni's cache does; they live under the exec root and are gone
 * after a reboot, like the namespaces they describe.
 */
public final class Cni {

  private static final System.Logger LOG = System.getLogger(Cni.class.getName());
  static final String VERSION = "1.0.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TIMEOUT_SECONDS = 60;

  private final Path pluginDir;
  private final Path resultDir;

  /** @param pluginDir where the plugin binaries are: Debian's containernetworking-plugins puts them in /usr/lib/cni */
  public Cni(Path pluginDir, Path resultDir) {
    this.pluginDir = pluginDir;
    this.resultDir = resultDir;
  }

  /** The plugin directory of this host: Debian's, or the upstream default. */
  public static Path findPlugins() {
    for (String dir : List.of("/usr/lib/cni", "/opt/cni/bin", "/usr/libexec/cni")) {
      if (Files.isExecutable(Path.of(dir, "bridge"))) {
        return Path.of(dir);
      }
    }
    throw new InternalException("CNI plugins not found in /usr/lib/cni or /opt/cni/bin: install containernetworking-plugins");
  }

  /**
   * One attachment of a container to a network.
   *
   * @param args CNI_ARGS pairs, e.g. IP for a static address
   * @param runtimeConfig capability arguments, e.g. portMappings
   */
  public record Attachment(String containerId, Path netns, String ifName, String network, List<ObjectNode> plugins,
      Map<String, String> args, Map<String, Object> runtimeConfig) {}

  /** ADD through every plugin; on failure the ones already run are undone. */
  public JsonNode add(Attachment a) {
    JsonNode prev = null;
    try {
      for (ObjectNode plugin : a.plugins()) {
        prev = exec("ADD", a, plugin, prev);
      }
    } catch (RuntimeException e) {
      try {
        delete(a, prev);
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
    write(a, prev);
    return prev;
  }

  /** DEL through every plugin in reverse; idempotent, as the spec requires of plugins. */
  public void delete(Attachment a) {
    delete(a, read(a));
  }

  private void delete(Attachment a, JsonNode prevResult) {
    RuntimeException first = null;
    for (ObjectNode plugin : a.plugins().reversed()) {
      try {
        exec("DEL", a, plugin, prevResult);
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    try {
      Files.deleteIfExists(resultFile(a));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (first != null) {
      throw first;
    }
  }

  private JsonNode exec(String command, Attachment a, ObjectNode plugin, JsonNode prevResult) {
    ObjectNode conf = plugin.deepCopy();
    conf.put("cniVersion", VERSION);
    conf.put("name", a.network());
    if (prevResult != null) {
      conf.set("prevResult", prevResult);
    }
    JsonNode caps = plugin.get("capabilities");
    if (caps != null && !a.runtimeConfig().isEmpty()) {
      ObjectNode rc = conf.putObject("runtimeConfig");
      a.runtimeConfig().forEach((k, v) -> {
        if (caps.path(k).asBoolean()) {
          rc.set(k, JSON.valueToTree(v));
        }
      });
    }
    String type = plugin.get("type").asText();
    var args = new StringBuilder("IgnoreUnknown=1");
    a.args().forEach((k, v) -> args.append(';').append(k).append('=').append(v));
    var pb = new ProcessBuilder(pluginDir.resolve(type).toString());
    Map<String, String> env = pb.environment();
    env.put("CNI_COMMAND", command);
    env.put("CNI_CONTAINERID", a.containerId());
    env.put("CNI_NETNS", a.netns() == null ? "" : a.netns().toString());
    env.put("CNI_IFNAME", a.ifName());
    env.put("CNI_PATH", pluginDir.toString());
    env.put("CNI_ARGS", args.toString());
    pb.redirectErrorStream(false);
    long t0 = System.nanoTime();
    try {
      Process p = pb.start();
      try (var in = p.getOutputStream()) {
        in.write(JSON.writeValueAsBytes(conf));
      }
      byte[] out = p.getInputStream().readAllBytes();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new InternalException("CNI plugin " + type + " " + command + " did not finish");
      }
      LOG.log(System.Logger.Level.DEBUG, () -> "CNI " + type + " " + command + " " + a.containerId().substring(0, 12)
          + " " + a.ifName() + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      if (p.exitValue() != 0) {
        throw new InternalException(pluginError(type, command, out, err));
      }
      if (command.equals("DEL") || out.length == 0) {
        return prevResult;
      }
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new InternalException("running CNI plugin " + type + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted running CNI plugin " + type, e);
    }
  }

  /** Plugins report errors as {"code", "msg", "details"} on stdout. */
  private static String pluginError(String type, String command, byte[] out, String err) {
    try {
      JsonNode e = JSON.readTree(out);
      if (e != null && e.has("msg")) {
        String details = e.path("details").asText("");
        return "plugin type=\"" + type + "\" failed (" + command.toLowerCase(java.util.Locale.ROOT) + "): "
            + e.get("msg").asText() + (details.isEmpty() ? "" : ": " + details);
      }
    } catch (IOException ignored) {
      // not JSON: fall through to stderr
    }
    return "plugin type=\"" + type + "\" failed (" + command.toLowerCase(java.util.Locale.ROOT) + "): " + err;
  }

  private Path resultFile(Attachment a) {
    return resultDir.resolve(a.containerId() + "-" + a.ifName() + ".json");
  }

  private void write(Attachment a, JsonNode result) {
    try {
      Files.createDirectories(resultDir);
      Files.write(resultFile(a), JSON.writeValueAsBytes(result));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode read(Attachment a) {
    try {
      Path f = resultFile(a);
      return Files.exists(f) ? JSON.readTree(f.toFile()) : null;
    } catch (IOException e) {
      return null;
    }
  }
}
