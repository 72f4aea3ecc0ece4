package dev.berth.core.fs;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a container's root filesystem as the container would see it: symlinks
 * are followed relative to the root, and {@code ..} never climbs above it. A link to {@code /} or
 * {@code ../../..} in the image therefore stays inside, and nothing here can reach the host.
 */
public final class RootedPath {

  private static final int MAX_LINKS = 255;

  private RootedPath() {}

  /**
   * The host path for {@code containerPath} under {@code root}, every symlink resolved (the last
   * component too, when it exists). Components that do not exist are kept as written.
   */
  public static Path resolve(Path root, String containerPath) {
    Deque<String> pending = new ArrayDeque<>();
    push(pending, containerPath);
    Deque<String> resolved = new ArrayDeque<>();
    int links = 0;
    while (!pending.isEmpty()) {
      String part = pending.pop();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        resolved.pollLast();
        continue;
      }
      Path candidate = join(root, resolved).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_LINKS) {
          throw new InvalidArgumentException("too many levels of symbolic links: " + containerPath);
        }
        String target;
        try {
          target = Files.readSymbolicLink(candidate).toString();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        if (target.startsWith("/")) {
          resolved.clear();
        }
        push(pending, target);
        continue;
      }
      resolved.addLast(part);
    }
    return join(root, resolved);
  }

  /** Whether the resolved path exists and is a regular file (not following a final link again). */
  public static boolean isFile(Path hostPath) {
    return Files.isRegularFile(hostPath, LinkOption.NOFOLLOW_LINKS);
  }

  private static void push(Deque<String> pending, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      pending.push(parts[i]);
    }
  }

  private static Path join(Path root, Deque<String> parts) {
    Path p = root;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }
}
