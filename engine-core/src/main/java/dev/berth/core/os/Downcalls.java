package dev.berth.core.os;

/**
 * Links, ahead of the first container's run, the downcalls a run needs: spawning, pipes, process
 * ids and signals, mounts and namespaces, sockets, sealed copies and the rooted file operations.
 * Each new call shape costs the FFM linker 5–20 ms of a cold JVM, ~150 ms of a first {@code docker
 * run} (issue 15). For a warm-up once the engine serves; every one of them is in glibc, so linking
 * cannot fail on a host where the engine starts at all.
 */
public final class Downcalls {

  private Downcalls() {}

  public static void linkForRuns() {
    // Reading a handle initialises its group, which links the group's handles.
    link(LibC.Io.READ, LibC.Fcntl.FCNTL, LibC.Pipes.PIPE2, LibC.Proc.KILL, LibC.Spawn.SPAWN, LibC.Mount.MOUNT,
        LibC.Net.SOCKET, LibC.Memfd.MEMFD_CREATE);
    RootedFiles.link();
  }

  /**
   * The runtime probe's, which makes a sealed copy of crun as berthd starts (memfd_create, write,
   * fcntl): ~13 ms of linking, which a start spends on a thread of its own before the probe needs them.
   */
  public static void linkForSealedCopies() {
    link(LibC.Memfd.MEMFD_CREATE, LibC.Io.WRITE, LibC.Fcntl.FCNTL);
  }

  private static void link(Object... handles) {
    // nothing more
  }
}
