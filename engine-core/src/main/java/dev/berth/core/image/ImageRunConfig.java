package dev.berth.core.image;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The defaults an image gives the containers made from it (the {@code config} object of an
 * image config). Null lists mean "not set", which Docker distinguishes from empty ones.
 */
public record ImageRunConfig(
    String user,
    Set<String> exposedPorts,
    List<String> env,
    List<String> entrypoint,
    List<String> cmd,
    Set<String> volumes,
    String workingDir,
    Map<String, String> labels,
    String stopSignal,
    Integer stopTimeout,
    Healthcheck healthcheck,
    List<String> onBuild,
    List<String> shell,
    boolean argsEscaped) {

  public static final ImageRunConfig EMPTY =
      new ImageRunConfig("", Set.of(), List.of(), null, null, Set.of(), "", Map.of(), "", null, null, null, null, false);

  public ImageRunConfig {
    user = user == null ? "" : user;
    exposedPorts = exposedPorts == null ? Set.of() : Set.copyOf(exposedPorts);
    env = env == null ? List.of() : List.copyOf(env);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    volumes = volumes == null ? Set.of() : Set.copyOf(volumes);
    workingDir = workingDir == null ? "" : workingDir;
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    stopSignal = stopSignal == null ? "" : stopSignal;
    onBuild = onBuild == null ? null : List.copyOf(onBuild);
    shell = shell == null ? null : List.copyOf(shell);
  }
}
