package dev.berth.core.system;

import java.nio.file.Path;
import java.util.Map;

/**
 * What {@code docker info} reports about the engine.
 *
 * @param runtimes runtime name to binary path
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
    HostFacts host) {}
