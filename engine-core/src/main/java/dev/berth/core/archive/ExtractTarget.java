package dev.berth.core.archive;

import dev.berth.core.fs.RootedPath;

/**
 * Where {@link TarUnpacker} writes: a tree addressed by container paths, and the rules of the
 * container about writing there.
 */
public interface ExtractTarget {

  RootedPath tree();

  /**
   * @throws dev.berth.core.error.InvalidArgumentException if writes into this resolved directory
   *     are refused (a read-only mount)
   */
  default void checkWritable(String resolvedPath) { }

  /**
   * @throws dev.berth.core.error.InvalidArgumentException if a device node may not be made in this
   *     resolved directory (one the host shares: it would be a device node on the host)
   */
  default void checkDevice(String resolvedDir) { }
}
