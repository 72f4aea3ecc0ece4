package dev.berth.core.system;

import dev.berth.core.config.HostFacts;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker info} reports about the engine.
 *
 * @param runtimes runtime name to binary path
 * @param securityOptions dockerd's {@code name=...} entries ({@code name=seccomp,profile=builtin})
 * @param warnings what {@code docker info} prints after everything else
 * @param openDescriptors the engine's open file descriptors (dockerd's {@code NFd})
 * @param threads the engine's live platform threads (for dockerd's {@code NGoroutines})
 */
public record SystemInfo(
    String id,
    int containers,
    int running,
    int paused,
    int stopped,
    int images,
    String defaultRuntime,
    Map<String, String> runtimes,
    Path dataRoot,
    String cgroupParent,
    HostFacts host,
    List<String> securityOptions,
    List<String> warnings,
    int openDescriptors,
    int threads,
    String loggingDriver) {}
