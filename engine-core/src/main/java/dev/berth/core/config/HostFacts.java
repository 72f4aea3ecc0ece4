package dev.berth.core.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Facts about this machine that {@code docker info} and {@code docker version} report, read once.
 *
 * @param cgroupVersion "2" on a pure cgroup v2 host, "1" for v1 and hybrid hosts (as dockerd says)
 */
public record HostFacts(
    String hostname,
    String kernelVersion,
    String operatingSystem,
    String osVersion,
    String architecture,
    int cpus,
    long memoryBytes,
    String cgroupVersion) {

  public static HostFacts read() {
    return new HostFacts(
        read("/proc/sys/kernel/hostname").orElse("localhost"),
        read("/proc/sys/kernel/osrelease").orElse(""),
        osRelease("PRETTY_NAME").orElse("Linux"),
        osRelease("VERSION_ID").orElse(""),
        machine(),
        Runtime.getRuntime().availableProcessors(),
        memTotal(),
        isCgroup2Root() ? "2" : "1");
  }

  /** Go's GOARCH for this JVM's architecture, as {@code Arch} in {@code /version} reports it. */
  public static String goArch() {
    return switch (System.getProperty("os.arch")) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64" -> "arm64";
      case "arm" -> "arm";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> System.getProperty("os.arch");
    };
  }

  /** A pure cgroup v2 host mounts cgroup2 at /sys/fs/cgroup itself. */
  public static boolean isCgroup2Root() {
    return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
  }

  private static String machine() {
    return switch (goArch()) {
      case "amd64" -> "x86_64";
      case "arm64" -> "aarch64";
      default -> System.getProperty("os.arch");
    };
  }

  /** Bytes of memory the host has (MemTotal), 0 if unknown. */
  public static long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through: an unknown total is reported as 0, as dockerd does
    }
    return 0;
  }

  private static Optional<String> osRelease(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith(key + "=")) {
          return Optional.of(line.substring(key.length() + 1).replaceAll("^\"|\"$", ""));
        }
      }
    } catch (IOException e) {
      // no os-release: not a distribution we can name
    }
    return Optional.empty();
  }

  private static Optional<String> read(String file) {
    try {
      return Optional.of(Files.readString(Path.of(file)).strip());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
