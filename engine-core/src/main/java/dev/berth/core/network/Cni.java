package dev.berth.core.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

  /**
   * An ADD in progress: the first plugin (the one that makes the interface and picks the address)
   * has run; the rest of the chain (port mappings, firewall rules) finishes in the background.
   *
   * @param complete the final result, cached for DEL; fails if any plugin failed, after undoing all
   */
  public record Added(CniResult result, CompletableFuture<CniResult> complete) {}

  /**
   * ADD through every plugin; on failure the ones already run are undone. The plugins after the
   * first only add host-side rules, so they overlap with whatever the caller does next (creating
   * the container, whose process does not run until it is started).
   */
  public Added add(Attachment a) {
    if (Files.exists(attachmentFile(a)) || Files.exists(resultFile(a))) {
      // A DEL that did not finish (a plugin or berthd was killed) kept what it needs: done now,
      // or the address would still be leased to this container and ADD refused.
      delete(a);
    }
    // Written ahead of what they undo, so a DEL after a crash of the engine anywhere in the ADD
    // (the plugins run on as the engine dies) has the chain and port mappings ADD had, and the
    // address for the firewall's rules, even though the container's record never got them.
    writeAttachment(a);
    JsonNode first = addChain(a, a.plugins().subList(0, 1), null);
    write(a, first);
    List<ObjectNode> rest = a.plugins().subList(1, a.plugins().size());
    if (rest.isEmpty()) {
      CniResult result = CniResult.of(first);
      return new Added(result, CompletableFuture.completedFuture(result));
    }
    var complete = new CompletableFuture<CniResult>();
    Thread.ofVirtual().name("cni-add-" + a.containerId().substring(0, 12)).start(() -> {
      try {
        JsonNode result = addChain(a, rest, first);
        write(a, result);
        complete.complete(CniResult.of(result));
      } catch (RuntimeException e) {
        complete.completeExceptionally(e);
      }
    });
    return new Added(CniResult.of(first), complete);
  }

  private JsonNode addChain(Attachment a, List<ObjectNode> plugins, JsonNode prev) {
    try {
      for (ObjectNode plugin : plugins) {
        prev = exec("ADD", a, plugin, prev);
      }
      return prev;
    } catch (RuntimeException e) {
      try {
        delete(a, prev);
      } catch (RuntimeException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
  }

  /**
   * DEL through every plugin; idempotent, as the spec requires of plugins. The chain, arguments
   * and runtime config are those ADD was given, where they were kept; else {@code a}'s.
   */
  public void delete(Attachment a) {
    delete(readAttachment(a), read(a));
  }

  /**
   * The spec's order is the reverse of ADD's. The plugins berth chains each undo only their own
   * host-side state (the interface and lease, the port rules, the firewall rules), so they run at
   * once: a container's tear-down costs the slowest plugin, not the sum.
   */
  private void delete(Attachment a, JsonNode prevResult) {
    var runs = new ArrayList<CompletableFuture<Void>>();
    for (ObjectNode plugin : a.plugins().reversed()) {
      var done = new CompletableFuture<Void>();
      Thread.ofVirtual().name("cni-del").start(() -> {
        try {
          exec("DEL", a, plugin, prevResult);
          done.complete(null);
        } catch (RuntimeException e) {
          done.completeExceptionally(e);
        }
      });
      runs.add(done);
    }
    RuntimeException first = null;
    for (var run : runs) {
      try {
        run.join();
      } catch (java.util.concurrent.CompletionException e) {
        RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : e;
        first = first == null ? cause : first;
      }
    }
    if (first != null) {
      // What ADD left stays recorded, so the DEL can be done again: by the next tear-down or ADD
      // of this attachment, or, for a container that is gone, by deleteKept as the engine starts.
      throw first;
    }
    try {
      Files.deleteIfExists(resultFile(a));
      Files.deleteIfExists(attachmentFile(a));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * DEL of every attachment of {@code containerId} whose ADD is still recorded: one whose DEL
   * failed, for a container that is gone. Its network namespace is gone with it, so the plugins
   * undo what the host holds (the lease, the port and firewall rules) from the recorded result.
   */
  public void deleteKept(String containerId) {
    var ifNames = new ArrayList<String>();
    try (var files = Files.newDirectoryStream(resultDir, containerId + "-*.add")) {
      files.forEach(f -> {
        String name = f.getFileName().toString();
        ifNames.add(name.substring(containerId.length() + 1, name.length() - ".add".length()));
      });
    } catch (java.nio.file.NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String ifName : ifNames) {
      delete(new Attachment(containerId, null, ifName, "", List.of(), Map.of(), Map.of()));
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
    // The plugin's environment is ours (PATH: the firewall plugin runs iptables) and CNI's variables.
    var env = Processes.environment(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", a.containerId(),
        "CNI_NETNS", a.netns() == null ? "" : a.netns().toString(), "CNI_IFNAME", a.ifName(),
        "CNI_PATH", pluginDir.toString(), "CNI_ARGS", args.toString()));
    Path program = pluginDir.resolve(type);
    long t0 = System.nanoTime();
    try {
      var run = Processes.capture(program, List.of(program.toString()), env, JSON.writeValueAsBytes(conf));
      LOG.log(System.Logger.Level.DEBUG, () -> "CNI " + type + " " + command + " " + a.containerId().substring(0, 12)
          + " " + a.ifName() + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      if (run.exit() != 0) {
        throw new InternalException(pluginError(type, command, run.stdout(), run.stderr().strip()));
      }
      if (command.equals("DEL") || run.stdout().length == 0) {
        return prevResult;
      }
      return JSON.readTree(run.stdout());
    } catch (IOException | ErrnoException e) {
      throw new InternalException("running CNI plugin " + type + ": " + e.getMessage(), e);
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

  /**
   * The containers with an ADD result kept, or an address leased by host-local under {@code
   * leases}: what DEL has still to undo for them.
   */
  public java.util.Set<String> attached(Path leases) {
    var out = new java.util.HashSet<String>();
    try (var files = Files.newDirectoryStream(resultDir, "*.{json,add}")) {
      // <container id>-<interface>.json and .add
      files.forEach(f -> out.add(f.getFileName().toString().split("-", 2)[0]));
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing attached yet
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (Files.isDirectory(leases)) {
      try (var files = Files.walk(leases, 2)) {
        // host-local's lease: a file named after the address, holding the container id, then the interface.
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          if (f.getFileName().toString().matches("[0-9.]+|[0-9a-f:]+")) {
            Files.readAllLines(f).stream().findFirst().map(String::strip).ifPresent(out::add);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private Path resultFile(Attachment a) {
    return resultDir.resolve(a.containerId() + "-" + a.ifName() + ".json");
  }

  private Path attachmentFile(Attachment a) {
    return resultDir.resolve(a.containerId() + "-" + a.ifName() + ".add");
  }

  private void writeAttachment(Attachment a) {
    ObjectNode kept = JSON.createObjectNode().put("network", a.network());
    kept.putArray("plugins").addAll(a.plugins());
    kept.set("args", JSON.valueToTree(a.args()));
    kept.set("runtimeConfig", JSON.valueToTree(a.runtimeConfig()));
    try {
      Files.createDirectories(resultDir);
      Files.write(attachmentFile(a), JSON.writeValueAsBytes(kept));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code a} with the chain, arguments and runtime config its ADD was given, if they were kept. */
  private Attachment readAttachment(Attachment a) {
    try {
      Path f = attachmentFile(a);
      if (!Files.exists(f)) {
        return a;
      }
      JsonNode kept = JSON.readTree(f.toFile());
      var plugins = new ArrayList<ObjectNode>();
      kept.path("plugins").forEach(p -> plugins.add((ObjectNode) p));
      Map<String, String> args = JSON.convertValue(kept.path("args"),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
      Map<String, Object> runtimeConfig = JSON.convertValue(kept.path("runtimeConfig"),
          new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
      return new Attachment(a.containerId(), a.netns(), a.ifName(), kept.path("network").asText(a.network()), plugins,
          args, runtimeConfig);
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "unreadable ADD record of " + a.containerId() + ": " + e.getMessage());
      return a;
    }
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
