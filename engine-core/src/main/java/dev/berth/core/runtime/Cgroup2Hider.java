package dev.berth.core.runtime;

import dev.berth.core.id.Hex64;
import dev.berth.core.os.Fd;
import dev.berth.core.os.SealedCopy;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code berth-hide-cgroup2} (engine-core's src/main/c), which lets crun run on a hybrid cgroup
 * host. crun 1.8 refuses a host with cgroup v1 controllers beside a cgroup2 tree; the program
 * unmounts that (empty) tree in a mount namespace of its own and becomes crun, which then sees a
 * plain v1 host. The container's processes are placed in their cgroup2 directory by the program
 * itself ({@code --berth-cgroup2}), where runc would have put them.
 *
 * <p>conmon runs the runtime by path, so the program is written to the exec root (root's alone)
 * rather than run from a sealed memfd as berth-enter is. No container process ever runs its image:
 * it becomes crun before crun makes the container. What it becomes is a sealed copy of crun
 * ({@link #sealedCopy}): crun, as runc, would otherwise copy itself on every call (bind-mounted
 * read-only over a file in /tmp, then exec'd again: ~2 ms of each call's 4–6 here), so that a
 * container reaching its binary through {@code /proc/PID/exe} (CVE-2019-5736) finds a file
 * nobody can write; a fully sealed memfd is such a file, and crun takes it as its clone.
 */
final class Cgroup2Hider {

  static final String PROGRAM = "berth-hide-cgroup2";
  static final String RUNTIME_OPTION = "--berth-runtime=";
  static final String CGROUP2_OPTION = "--berth-cgroup2=";
  private static final Path CGROUPS = Path.of("/sys/fs/cgroup");
  private static final Path UNIFIED = CGROUPS.resolve("unified");
  private static final long PROBE_TIMEOUT_SECONDS = 10;
  private static final System.Logger LOG = System.getLogger(Cgroup2Hider.class.getName());

  private Cgroup2Hider() {}

  /**
   * Whether the host has the layout the program handles: v1 hierarchies under a tmpfs at
   * {@code /sys/fs/cgroup} and the cgroup2 tree at {@code /sys/fs/cgroup/unified}.
   */
  static boolean hybridHost() {
    return fsType(CGROUPS).equals("tmpfs") && fsType(UNIFIED).equals("cgroup2");
  }

  /** The program, and what it executes: a sealed copy of the runtime ({@link #sealedCopy}), or the runtime itself. */
  record Installed(Path program, Path executes) {}

  /**
   * Places the program in {@code dir} ({@link #place}) and checks, with one {@code --version},
   * that a sealed copy of {@code runtime} answers through it; if the copy does not, {@code runtime}
   * itself. Empty, with the reason logged, when neither does (engine-core built without gcc, no
   * right to unshare a mount namespace, a crun that still refuses).
   */
  static Optional<Installed> install(Path dir, Path runtime) {
    try {
      Optional<Path> placed = place(dir);
      if (placed.isEmpty()) {
        LOG.log(Level.INFO, "engine-core was built without {0} (src/main/c needs gcc)", PROGRAM);
        return Optional.empty();
      }
      Path program = placed.get();
      SealedCopy copy = sealedCopy(runtime);
      if (copy != null) {
        Path copied = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + copy.fd());
        if (answers(program, copied)) {
          return Optional.of(new Installed(program, copied));
        }
        Fd.close(copy.fd());
        LOG.log(Level.INFO, "a sealed copy of {0} does not run through {1}; it clones itself on each call", runtime,
            PROGRAM);
      }
      return answers(program, runtime) ? Optional.of(new Installed(program, runtime)) : Optional.empty();
    } catch (IOException e) {
      LOG.log(Level.INFO, "cannot install {0} in {1}: {2}", PROGRAM, dir, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * This build's program in {@code dir}, named by its SHA-256 ({@code berth-hide-cgroup2-} and the
   * first 16 hex digits, from the resource the build writes beside it), and copied there unless it
   * is there already; empty if engine-core has no program. A copy is written under a temporary
   * name, synced and renamed, so the name only ever holds the whole program and finding it is
   * enough: reading the 0.7 MB program and comparing it with the copy took ~18 ms of every start.
   * Other builds' copies and a crash's partial copy go when a copy is written.
   */
  static Optional<Path> place(Path dir) throws IOException {
    String digest;
    try (InputStream in = Cgroup2Hider.class.getResourceAsStream(PROGRAM + ".sha256")) {
      if (in == null) {
        return Optional.empty();
      }
      digest = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    }
    if (!Hex64.is(digest)) {
      throw new IOException("the build wrote no SHA-256 for " + PROGRAM + ": " + digest);
    }
    Path target = dir.resolve(PROGRAM + "-" + digest.substring(0, 16));
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(target);
    }
    try (InputStream in = Cgroup2Hider.class.getResourceAsStream(PROGRAM)) {
      if (in == null) {
        return Optional.empty();
      }
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, PROGRAM, ".partial",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      try {
        // Into the file as made, which keeps its mode.
        try (FileChannel written = FileChannel.open(partial, StandardOpenOption.WRITE)) {
          in.transferTo(Channels.newOutputStream(written));
          written.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
    }
    try (var others = Files.newDirectoryStream(dir, PROGRAM + "*")) {
      for (Path other : others) {
        if (!other.equals(target)) {
          Files.deleteIfExists(other);
        }
      }
    }
    return Optional.of(target);
  }

  // Unsharing and unmounting are what can fail; --version runs both and then crun.
  private static boolean answers(Path program, Path runtime) throws IOException {
    Process probe = new ProcessBuilder(List.of(program.toString(), RUNTIME_OPTION + runtime, "--version"))
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try {
      String stderr = new String(probe.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!probe.waitFor(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        LOG.log(Level.INFO, "{0} --version through {1} did not answer", runtime, PROGRAM);
        return false;
      }
      if (probe.exitValue() != 0) {
        LOG.log(Level.INFO, "{0} does not run through {1}: {2}", runtime, PROGRAM, stderr.strip());
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      probe.destroyForcibly();
      return false;
    }
  }

  /**
   * {@code runtime} copied into a sealed memfd the engine holds for its lifetime, which the hider
   * (run by the engine or by conmon, both root) execs as {@code /proc/PID/fd/N} of the engine;
   * null, with the reason logged, if the copy cannot be made.
   */
  private static SealedCopy sealedCopy(Path runtime) {
    try {
      return SealedCopy.of(runtime.getFileName().toString(), Files.readAllBytes(runtime));
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.INFO, "cannot make a sealed copy of {0}, it clones itself on each call: {1}", runtime,
          e.getMessage());
      return null;
    }
  }

  private static String fsType(Path mount) {
    try {
      FileStore store = Files.getFileStore(mount);
      return store.type();
    } catch (IOException e) {
      return "";
    }
  }
}
