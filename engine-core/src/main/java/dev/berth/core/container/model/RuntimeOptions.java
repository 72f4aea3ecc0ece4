package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;

/**
 * Which OCI runtime runs a container and under which cgroup ({@code docker run --runtime},
 * {@code --cgroup-parent}).
 *
 * @param runtime a runtime the daemon knows by name; empty for the daemon's default (create fills
 *     the default's name in, as dockerd records it)
 * @param cgroupParent the cgroup under which the container gets {@code <parent>/<id>} in every
 *     hierarchy; empty for the daemon's. A relative path is taken from the root cgroup, as with
 *     dockerd's cgroupfs driver (relative to PID 1's cgroup, which is the root).
 */
public record RuntimeOptions(String runtime, String cgroupParent) {

  public static final RuntimeOptions NONE = new RuntimeOptions("", "");

  public RuntimeOptions {
    runtime = runtime == null ? "" : runtime;
    cgroupParent = cgroupParent == null ? "" : cgroupParent;
    if (cgroupParent.indexOf('\0') >= 0 || cgroupParent.contains("\n")) {
      throw new InvalidArgumentException("invalid cgroup parent: " + cgroupParent);
    }
  }

  /**
   * {@link #cgroupParent} as an absolute, clean cgroup path (Go's {@code filepath.Join} cleans
   * {@code ..} away, so it never climbs above the root); empty when the daemon's applies.
   *
   * @throws InvalidArgumentException for a parent that is the root cgroup itself
   */
  public String absoluteCgroupParent() {
    if (cgroupParent.isEmpty()) {
      return "";
    }
    var parts = new java.util.ArrayDeque<String>();
    for (String part : cgroupParent.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        parts.pollLast();
      } else {
        parts.addLast(part);
      }
    }
    if (parts.isEmpty()) {
      throw new InvalidArgumentException("invalid cgroup parent " + cgroupParent + ": it names the root cgroup");
    }
    return "/" + String.join("/", parts);
  }

  public RuntimeOptions withRuntime(String name) {
    return new RuntimeOptions(name, cgroupParent);
  }
}
