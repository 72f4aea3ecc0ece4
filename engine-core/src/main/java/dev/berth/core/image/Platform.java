package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Locale;

/** An OCI platform: what an image's binaries run on. */
public record Platform(String os, String architecture, String variant) {

  public Platform {
    if (os == null || os.isEmpty() || architecture == null || architecture.isEmpty()) {
      throw new InvalidArgumentException("invalid platform: os and architecture are required");
    }
    variant = variant == null ? "" : variant;
  }

  /** This machine, in Go's GOARCH spelling, which images use. */
  public static Platform host() {
    return new Platform("linux", goArch(System.getProperty("os.arch")), "");
  }

  /**
   * containerd's {@code platforms.Parse} for the {@code platform} parameter: {@code os[/arch[/variant]]}
   * or a bare architecture, normalized ({@code x86_64} is amd64, {@code aarch64} is arm64, arm64's
   * {@code v8} is its default and dropped).
   *
   * @throws InvalidArgumentException with containerd's wording for a malformed specifier
   */
  public static Platform parse(String spec) {
    String s = spec.toLowerCase(Locale.ROOT);
    String[] parts = s.split("/", -1);
    for (String p : parts) {
      if (!p.matches("[a-z0-9_.-]+")) {
        throw new InvalidArgumentException("\"" + spec + "\": invalid platform specifier");
      }
    }
    Platform host = host();
    return switch (parts.length) {
      // A lone word is an OS if it names one, else an architecture of this OS.
      case 1 -> parts[0].equals("linux") || parts[0].equals("windows") || parts[0].equals("darwin")
          ? new Platform(parts[0], host.architecture(), "")
          : normalized(host.os(), parts[0], "");
      case 2 -> normalized(parts[0], parts[1], "");
      case 3 -> normalized(parts[0], parts[1], parts[2]);
      default -> throw new InvalidArgumentException("\"" + spec + "\": cannot parse platform specifier");
    };
  }

  private static Platform normalized(String os, String arch, String variant) {
    String a = goArch(arch);
    String v = variant;
    if (a.equals("arm64") && v.equals("v8")) {
      v = "";
    }
    if (arch.equals("armhf")) {
      v = "v7";
    } else if (arch.equals("armel")) {
      v = "v6";
    }
    return new Platform(os, a, v);
  }

  private static String goArch(String arch) {
    return switch (arch.toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x86-64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "arm", "armhf", "armel" -> "arm";
      default -> arch.toLowerCase(Locale.ROOT);
    };
  }

  /** Whether an image for {@code other} runs here; the variant only matters when both name one. */
  public boolean accepts(String otherOs, String otherArch, String otherVariant) {
    String v = otherVariant == null ? "" : otherVariant;
    if ("arm64".equals(otherArch) && v.equals("v8")) {
      v = "";
    }
    return os.equals(otherOs) && architecture.equals(otherArch)
        && (variant.isEmpty() || v.isEmpty() || variant.equals(v));
  }

  public boolean accepts(Platform other) {
    return accepts(other.os(), other.architecture(), other.variant());
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
