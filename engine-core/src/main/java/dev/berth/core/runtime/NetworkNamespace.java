package dev.berth.core.runtime;

import java.nio.file.Path;

/**
 * Which network namespace the container gets.
 *
 * @param host the host's own: the container sees the host's interfaces
 * @param path a namespace the engine prepared (bridge networks, {@code none}, another container's);
 *     null with {@code host} false means a new one the runtime makes, with only a loopback that is down
 */
public record NetworkNamespace(boolean host, Path path) {

  public static final NetworkNamespace HOST = new NetworkNamespace(true, null);
  public static final NetworkNamespace PRIVATE = new NetworkNamespace(false, null);

  public static NetworkNamespace join(Path path) {
    return new NetworkNamespace(false, path);
  }
}
