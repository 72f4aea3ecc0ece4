package dev.berth.core.archive;

import java.nio.file.Path;

/**
 * Where {@link TarUnpacker} writes: a tree addressed by absolute, clean paths (a container's
 * filesystem), mapped to host paths only after every symlink has been resolved inside it.
 */
public interface ExtractTarget {

  /**
   * The path with every symlink resolved inside the tree, the last component too if {@code followLast};
   * components that do not exist are kept as written.
   */
  String resolve(String path, boolean followLast);

  /** The host path of a resolved path. */
  Path host(String resolvedPath);

  /** @throws dev.berth.core.error.InvalidArgumentException if writes there are refused (a read-only mount) */
  void checkWritable(String resolvedPath);
}
