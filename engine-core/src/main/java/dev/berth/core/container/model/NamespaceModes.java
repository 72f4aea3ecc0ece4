package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which of the host's or another container's namespaces a container shares, and the rest of
 * HostConfig's isolation fields: PidMode, IpcMode, UTSMode, UsernsMode, Cgroup, Isolation and
 * Annotations, as the client gave them (a {@code container:} mode names the container by id once
 * created, as dockerd records it). Each value is checked here with dockerd's words (moby
 * api/types/container {@code Valid()}, runconfig {@code validateIsolation}, daemon
 * {@code validateHostConfig}).
 *
 * @param pidMode empty (a namespace of its own), {@code host} or {@code container:<name|id>}
 * @param ipcMode empty (the daemon's default, {@code private}), {@code private}, {@code shareable},
 *     {@code host}, {@code none} or {@code container:<name|id>}
 * @param utsMode empty or {@code host}
 * @param usernsMode empty or {@code host}: berth has no user-namespace remapping, so both mean the
 *     host's user namespace
 * @param cgroup empty; dockerd reads {@code container:<id>} here on no platform, berth refuses it
 * @param isolation empty or {@code default} in any case, kept as given
 * @param annotations the OCI spec's annotations; keys are not empty
 */
public record NamespaceModes(String pidMode, String ipcMode, String utsMode, String usernsMode, String cgroup,
    String isolation, Map<String, String> annotations) {

  public static final NamespaceModes NONE = new NamespaceModes(null, null, null, null, null, null, null);
  private static final String CONTAINER = "container:";

  public NamespaceModes {
    pidMode = pidMode == null ? "" : pidMode;
    ipcMode = ipcMode == null ? "" : ipcMode;
    utsMode = utsMode == null ? "" : utsMode;
    usernsMode = usernsMode == null ? "" : usernsMode;
    cgroup = cgroup == null ? "" : cgroup;
    isolation = isolation == null ? "" : isolation;
    annotations = annotations == null ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    // moby runconfig validateIsolation, at decode: Linux knows only "default".
    String iso = isolation.toLowerCase(Locale.ROOT);
    if (!iso.isEmpty() && !iso.equals("default")) {
      throw new InvalidArgumentException("invalid isolation (" + isolation + "): linux only supports 'default'");
    }
    if (annotations.containsKey("")) {
      throw new InvalidArgumentException(
          "invalid Annotations: the empty string is not permitted as an annotation key");
    }
    // moby verifyPlatformContainerSettings, in its order.
    if (!switch (ipcMode) {
      case "", "none", "private", "host", "shareable" -> true;
      default -> ipcMode.startsWith(CONTAINER) && ipcMode.length() > CONTAINER.length();
    }) {
      throw new InvalidArgumentException("invalid IPC mode: " + ipcMode);
    }
    if (!pidMode.isEmpty() && !pidMode.equals("host")
        && !(pidMode.startsWith(CONTAINER) && pidMode.length() > CONTAINER.length())) {
      throw new InvalidArgumentException("invalid PID mode: " + pidMode);
    }
    if (!utsMode.isEmpty() && !utsMode.equals("host")) {
      throw new InvalidArgumentException("invalid UTS mode: " + utsMode);
    }
    // dockerd without userns-remap never reads UsernsMode; the CLI refuses other values
    // ("--userns: invalid USER mode"), and berth refuses them rather than ignore them.
    if (!usernsMode.isEmpty() && !usernsMode.equals("host")) {
      throw new InvalidArgumentException("invalid USER mode: " + usernsMode);
    }
    // moby's CgroupSpec is parsed but used by no Linux code path: joining another container's
    // cgroup namespace would be silently dropped, so it is refused.
    if (!cgroup.isEmpty()) {
      throw new InvalidArgumentException("invalid Cgroup (" + cgroup
          + "): joining another container's cgroup is not supported; use CgroupnsMode host or private");
    }
  }

  /** The container whose PID namespace it joins. */
  public Optional<String> pidContainer() {
    return pidMode.startsWith(CONTAINER) ? Optional.of(pidMode.substring(CONTAINER.length())) : Optional.empty();
  }

  /** The container whose IPC namespace (and /dev/shm) it joins. */
  public Optional<String> ipcContainer() {
    return ipcMode.startsWith(CONTAINER) ? Optional.of(ipcMode.substring(CONTAINER.length())) : Optional.empty();
  }

  public boolean hostPid() {
    return pidMode.equals("host");
  }

  /** A PID namespace of its own, where an init ({@code --init}) makes sense. */
  public boolean privatePid() {
    return pidMode.isEmpty();
  }

  public boolean hostIpc() {
    return ipcMode.equals("host");
  }

  /** {@code shareable}: an IPC namespace and /dev/shm of its own that other containers may join. */
  public boolean shareableIpc() {
    return ipcMode.equals("shareable");
  }

  /** {@code none}: no /dev/shm at all. */
  public boolean noShm() {
    return ipcMode.equals("none");
  }

  public boolean hostUts() {
    return utsMode.equals("host");
  }

  /**
   * IpcMode as inspect shows it: dockerd writes its default-ipc-mode ({@code private}) into the
   * record at create, and a record made before berth kept the mode ran private.
   */
  public String effectiveIpcMode() {
    return ipcMode.isEmpty() ? "private" : ipcMode;
  }

  /** With {@code container:} modes naming the given container ids (dockerd's adaptSharedNamespaceContainer). */
  public NamespaceModes withContainers(String pidContainerId, String ipcContainerId) {
    return new NamespaceModes(pidContainerId == null ? pidMode : CONTAINER + pidContainerId,
        ipcContainerId == null ? ipcMode : CONTAINER + ipcContainerId, utsMode, usernsMode, cgroup, isolation,
        annotations);
  }

  /** With the daemon's default IPC mode filled in. */
  public NamespaceModes withIpcMode(String mode) {
    return new NamespaceModes(pidMode, mode, utsMode, usernsMode, cgroup, isolation, annotations);
  }
}
