package dev.berth.core.runtime;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Finds helper binaries (conmon, runc, crun, the init) the way a shell would. */
public final class Executables {

  // The engine may be started with a bare environment (systemd, tests); look in the usual places too.
  private static final String FALLBACK_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private static final int ELF_MAGIC = 0x464c457f;
  private static final byte ELFCLASS64 = 2;
  private static final byte ELFDATA2LSB = 1;
  private static final int PT_INTERP = 3;

  private Executables() {}

  /**
   * The init bound into {@code --init} containers: {@code docker-init} (what dockerd looks for),
   * else {@code tini-static}, else {@code tini}. Static builds first: the init runs inside the
   * container's filesystem, which need not have the host's C library.
   */
  public static Optional<Path> findInit() {
    for (String name : List.of("docker-init", "tini-static", "tini")) {
      Optional<Path> found = onPath(name);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /**
   * A statically linked {@code busybox} (Debian's busybox-static), which runs in any container:
   * exec's trampoline. A dynamic one is passed over; it would need the host's C library there.
   */
  public static Optional<Path> findStaticBusybox() {
    return onPath("busybox").filter(Executables::isStaticElf);
  }

  /** An ELF64 little-endian file without a PT_INTERP program header (no dynamic loader). */
  static boolean isStaticElf(Path file) {
    try (var channel = java.nio.channels.FileChannel.open(file)) {
      var header = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      if (channel.read(header, 0) < 64 || header.getInt(0) != ELF_MAGIC || header.get(4) != ELFCLASS64
          || header.get(5) != ELFDATA2LSB) {
        return false;
      }
      long programHeaders = header.getLong(0x20);
      int entrySize = Short.toUnsignedInt(header.getShort(0x36));
      int entries = Short.toUnsignedInt(header.getShort(0x38));
      var entry = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (int i = 0; i < entries; i++) {
        entry.clear();
        if (channel.read(entry, programHeaders + (long) i * entrySize) < 4) {
          return false;
        }
        if (entry.getInt(0) == PT_INTERP) {
          return false;
        }
      }
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  public static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + FALLBACK_PATH;
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
