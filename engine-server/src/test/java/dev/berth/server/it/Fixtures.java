package dev.berth.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Images for integration tests, built from the host's static busybox (no registry needed). */
final class Fixtures {

  private static final Path ROOTFS_SCRIPT = Path.of("..", "packaging", "busybox-rootfs.sh").toAbsolutePath().normalize();

  private Fixtures() {}

  /**
   * Builds {@code isolation/<name>.c} from the test resources with {@code gcc -static} into
   * {@code dir} (made readable for containers that bind it) and returns the program; the test is
   * skipped where there is no gcc.
   */
  static Path compileStatic(String name, Path dir) {
    try {
      org.junit.jupiter.api.Assumptions.assumeTrue(
          new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start().waitFor() == 0, "gcc builds " + name);
      java.nio.file.Files.createDirectories(dir);
      dir.toFile().setReadable(true, false);
      dir.toFile().setExecutable(true, false);
      Path source = dir.resolve(name + ".c");
      try (var in = Fixtures.class.getResourceAsStream("/isolation/" + name + ".c")) {
        java.nio.file.Files.copy(in, source, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Path binary = dir.resolve(name);
      Process gcc = new ProcessBuilder("gcc", "-static", "-O2", "-Wall", "-o", binary.toString(), source.toString())
          .redirectErrorStream(true).start();
      String output = new String(gcc.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (gcc.waitFor() != 0) {
        throw new AssertionError("gcc -static " + source + ": " + output);
      }
      return binary;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** {@code packaging/busybox-rootfs.sh | docker import - <tag>}, with sh as the default command. */
  static void importBusybox(DockerCli docker, String tag) {
    importBusybox(docker, tag, new String[0]);
  }

  /** As {@link #importBusybox(DockerCli, String)}, with more Dockerfile instructions ({@code VOLUME /etc}). */
  static void importBusybox(DockerCli docker, String tag, String... changes) {
    try {
      Process script = new ProcessBuilder(ROOTFS_SCRIPT.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      byte[] tar = script.getInputStream().readAllBytes();
      if (script.waitFor() != 0) {
        throw new AssertionError(ROOTFS_SCRIPT + " failed");
      }
      var args = new java.util.ArrayList<>(java.util.List.of("import", "--change", "CMD [\"sh\"]"));
      for (String c : changes) {
        args.add("--change");
        args.add(c);
      }
      args.add("-");
      args.add(tag);
      docker.withInput(tar, args.toArray(String[]::new)).ok();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
