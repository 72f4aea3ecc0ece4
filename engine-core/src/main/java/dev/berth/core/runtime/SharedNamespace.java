package dev.berth.core.runtime;

import java.nio.file.Path;

/**
 * A namespace of one kind (PID, IPC) the container has: a new one, the host's, or another
 * container's, which the runtime joins through its nsfs file.
 *
 * @param host the host's own (the spec names no namespace of this kind)
 * @param path {@code /proc/<pid>/ns/<kind>} of the container it joins; null for a new one or the host's
 */
public record SharedNamespace(boolean host, Path path) {

  public static final SharedNamespace HOST = new SharedNamespace(true, null);
  public static final SharedNamespace PRIVATE = new SharedNamespace(false, null);

  public SharedNamespace {
    if (host && path != null) {
      throw new IllegalArgumentException("the host's namespace has no path to join: " + path);
    }
  }

  public static SharedNamespace join(Path path) {
    return new SharedNamespace(false, path);
  }
}
