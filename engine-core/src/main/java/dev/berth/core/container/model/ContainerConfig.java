package dev.berth.core.container.model;

import dev.berth.core.image.Healthcheck;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a container runs, with the image's defaults already merged in (what {@code docker inspect}
 * shows as {@code Config}). Null lists mean "not set".
 *
 * @param image the image as the user named it, e.g. {@code busybox}
 */
public record ContainerConfig(
    String image,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    String domainname,
    Map<String, String> labels,
    boolean tty,
    boolean openStdin,
    boolean stdinOnce,
    boolean attachStdin,
    boolean attachStdout,
    boolean attachStderr,
    String stopSignal,
    Integer stopTimeout,
    Set<String> exposedPorts,
    Set<String> volumes,
    Healthcheck healthcheck,
    List<String> onBuild,
    List<String> shell,
    boolean argsEscaped) {

  public ContainerConfig {
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
    hostname = hostname == null ? "" : hostname;
    domainname = domainname == null ? "" : domainname;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    stopSignal = stopSignal == null ? "" : stopSignal;
    exposedPorts = exposedPorts == null ? Set.of() : Set.copyOf(exposedPorts);
    volumes = volumes == null ? Set.of() : Set.copyOf(volumes);
    onBuild = onBuild == null ? null : List.copyOf(onBuild);
    shell = shell == null ? null : List.copyOf(shell);
  }

  /** The process to run: entrypoint followed by cmd. Empty if the image and request set neither. */
  public List<String> argv() {
    var out = new java.util.ArrayList<String>();
    if (entrypoint != null) {
      out.addAll(entrypoint);
    }
    if (cmd != null) {
      out.addAll(cmd);
    }
    return List.copyOf(out);
  }
}
