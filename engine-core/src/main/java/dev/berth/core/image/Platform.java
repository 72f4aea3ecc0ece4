package dev.berth.core.image;

import java.util.Locale;

/** An OCI platform: what an image's binaries run on. */
record Platform(String os, String architecture, String variant) {

  /** This machine, in Go's GOARCH spelling, which images use. */
  static Platform host() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String goarch = switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "arm" -> "arm";
      default -> arch;
    };
    return new Platform("linux", goarch, "");
  }

  /** Whether an image for {@code other} runs here; the variant only matters when both name one. */
  boolean accepts(String otherOs, String otherArch, String otherVariant) {
    return os.equals(otherOs) && architecture.equals(otherArch)
        && (variant.isEmpty() || otherVariant == null || otherVariant.isEmpty() || variant.equals(otherVariant));
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
