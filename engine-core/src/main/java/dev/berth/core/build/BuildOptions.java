package dev.berth.core.build;

import dev.berth.core.container.model.ProcessOptions;
import dev.berth.core.container.model.Resources;
import dev.berth.core.image.ImageReference;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /build} asks for, checked by the server's translator.
 *
 * @param tags where to point the result, already sanitized (no digest, default tag added, no duplicates)
 * @param dockerfile the Dockerfile's path inside the context
 * @param buildArgs {@code --build-arg}; a null value is a name the client had no value for
 * @param labels added to the last stage as LABEL steps, by sorted key
 * @param target the stage to stop at, or empty for the last
 * @param remove remove intermediate containers after a successful step ({@code rm}, the default)
 * @param forceRemove remove them always ({@code forcerm})
 * @param pull always pull FROM images, even those the engine has
 * @param networkMode RUN's network mode; empty for the default bridge
 * @param resources RUN's limits (memory, swap, CPU shares, period, quota, cpuset)
 * @param shmSize RUN's /dev/shm in bytes; 0 for the default
 * @param extraHosts RUN's extra /etc/hosts lines ({@code host:ip})
 * @param cgroupParent RUN's cgroup parent, or empty
 * @param ulimits RUN's rlimits ({@code --ulimit})
 * @param cacheFrom {@code --cache-from}: images whose history may stand for steps, as names or IDs
 */
public record BuildOptions(List<ImageReference> tags, String dockerfile, Map<String, String> buildArgs,
    Map<String, String> labels, String target, boolean noCache, boolean remove, boolean forceRemove, boolean pull,
    String networkMode, Resources resources, long shmSize, List<String> extraHosts, String cgroupParent,
    List<ProcessOptions.Ulimit> ulimits, List<String> cacheFrom) {

  public BuildOptions {
    tags = List.copyOf(tags);
    dockerfile = dockerfile == null || dockerfile.isEmpty() ? "Dockerfile" : dockerfile;
    buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.HashMap<>(buildArgs));
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    target = target == null ? "" : target;
    networkMode = networkMode == null ? "" : networkMode;
    resources = resources == null ? Resources.NONE : resources;
    extraHosts = extraHosts == null ? List.of() : List.copyOf(extraHosts);
    cgroupParent = cgroupParent == null ? "" : cgroupParent;
    ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
    cacheFrom = cacheFrom == null ? List.of() : List.copyOf(cacheFrom);
  }
}
