package dev.berth.core.seccomp;

import java.util.regex.Pattern;

/**
 * A kernel's version and major revision, the part of a release that seccomp profiles compare
 * ({@code minKernel}): "3.12.25-gentoo" and "3.12-1-amd64" are both 3.12.
 */
public record KernelVersion(int kernel, int major) implements Comparable<KernelVersion> {

  private static final Pattern RELEASE = Pattern.compile("^\\s*[+-]?(\\d+)\\.[+-]?(\\d+)");

  /** The version of a kernel release string ({@code uname -r}), as moby's parseRelease reads it. */
  public static KernelVersion ofRelease(String release) {
    var m = RELEASE.matcher(release);
    if (!m.find()) {
      throw new IllegalArgumentException("failed to parse kernel version \"" + release + "\"");
    }
    return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  @Override
  public int compareTo(KernelVersion o) {
    return kernel != o.kernel ? Integer.compare(kernel, o.kernel) : Integer.compare(major, o.major);
  }

  @Override
  public String toString() {
    return kernel + "." + major;
  }
}
