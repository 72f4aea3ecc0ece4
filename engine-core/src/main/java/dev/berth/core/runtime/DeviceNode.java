package dev.berth.core.runtime;

/**
 * A device node the runtime makes in the container ({@code linux.devices}).
 *
 * @param type {@code c} or {@code b}
 * @param fileMode the permission bits of the host's node
 */
public record DeviceNode(String path, String type, long major, long minor, int fileMode, int uid, int gid) {

  public DeviceNode {
    if (!type.equals("c") && !type.equals("b")) {
      throw new IllegalArgumentException("not a device type: " + type);
    }
  }

  /** The device cgroup rule that lets the container use this node with {@code access}. */
  public DockerDefaults.DeviceRule rule(String access) {
    return new DockerDefaults.DeviceRule(true, type, major, minor, access);
  }
}
