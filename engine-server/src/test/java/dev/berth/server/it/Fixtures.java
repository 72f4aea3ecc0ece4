package dev.berth.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Images for integration tests, built from the host's static busybox (no registry needed). */
final class Fixtures {

  private static final Path ROOTFS_SCRIPT = Path.of("..", "packaging", "busybox-rootfs.sh").toAbsolutePath().normalize();

  private Fixtures() {}

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
