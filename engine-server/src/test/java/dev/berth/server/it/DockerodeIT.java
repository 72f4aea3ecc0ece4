package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: dockerode, Node's Docker client, against berthd. {@code src/test/node/dockerode-test.js}
 * does the work (create/attach/start/wait, exec demultiplexed with modem.demuxStream, list,
 * inspect, remove, volumes, networks); this test gives it node_modules and DOCKER_HOST, and
 * fails with its output when it fails. node and npm come from Debian (run-tests installs them);
 * the modules are installed once per package-lock.json into a cache under ~/.cache that later
 * runs reuse, without install scripts (ssh2's optional native crypto is not needed on a socket).
 */
class DockerodeIT extends WithBerthd {

  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final Path CACHE = Path.of(System.getProperty("user.home"), ".cache", "berth-it", "node");

  private static Path modules;

  @BeforeAll
  static void prepare() throws Exception {
    Fixtures.importBusybox(docker, "busybox:latest");
    modules = installModules();
  }

  /** {@code npm ci} into CACHE/<hash of the lock file>, unless an earlier run did; returns its node_modules. */
  private static Path installModules() throws Exception {
    byte[] lock = Files.readAllBytes(NODE_DIR.resolve("package-lock.json"));
    byte[] manifest = Files.readAllBytes(NODE_DIR.resolve("package.json"));
    Path target = CACHE.resolve(hash(manifest, lock));
    Path installed = target.resolve("node_modules");
    if (Files.isRegularFile(target.resolve(".installed"))) {
      return installed;
    }
    Files.createDirectories(CACHE);
    Path staging = Files.createTempDirectory(CACHE, "install-");
    Files.write(staging.resolve("package.json"), manifest);
    Files.write(staging.resolve("package-lock.json"), lock);
    try {
      String output = run(staging, 600, List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund",
          "--loglevel=error", "--cache", CACHE.resolve("npm-cache").toString()), List.of());
      Files.writeString(staging.resolve(".installed"), output);
    } catch (AssertionError | IOException e) {
      removeTree(staging);
      throw e;
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // Another run installed the same lock file first: use its copy.
      if (!Files.isRegularFile(target.resolve(".installed"))) {
        throw e;
      }
    }
    return installed;
  }

  private static void removeTree(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static String hash(byte[]... parts) throws NoSuchAlgorithmException {
    var digest = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      digest.update(part);
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }

  /** Runs a command in dir with extra environment entries; gives its output, or fails showing it. */
  private static String run(Path dir, long timeoutSeconds, List<String> command, List<String> env) throws Exception {
    Path log = Files.createTempFile(daemon.dir, "node-", ".log");
    var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    for (String e : env) {
      int eq = e.indexOf('=');
      builder.environment().put(e.substring(0, eq), e.substring(eq + 1));
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError(command.get(0) + " is not installed: run-tests installs Debian's nodejs and npm", e);
    }
    boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended || process.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + (ended ? " exited " + process.exitValue()
          : " did not end within " + timeoutSeconds + " s") + ":\n" + output);
    }
    return output;
  }

  @Test
  void dockerodeDrivesContainersExecsVolumesAndNetworks() throws Exception {
    String output = run(NODE_DIR, 180, List.of("node", "dockerode-test.js"), List.of(
        "DOCKER_HOST=unix://" + daemon.socket, "NODE_PATH=" + modules, "BERTH_IT_IMAGE=busybox:latest"));
    assertTrue(output.contains("ok networks"), output);
    assertEquals("", docker.run("ps", "-aq").ok().line(), "containers left");
    assertEquals("bridge\nhost\nnone", docker.run("network", "ls", "--format", "{{.Name}}").ok().line());
    assertEquals("", docker.run("volume", "ls", "-q").ok().line(), "volumes left");
  }
}
