package dev.berth.core.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Takes the kernel's wait for a cgroup move out of a container start's critical path.
 *
 * <p>A move into a cgroup by pid takes the kernel's cgroup threadgroup lock for writing. When the
 * lock has been idle, taking it waits out an RCU grace period (11–27 ms on this kind of host,
 * docs/benchmarks.md); moves that follow within about a grace period of the last one do not wait.
 * Every start makes such a move on its critical path: berthd moves conmon into the monitor cgroup
 * before conmon forks the runtime, and the runtime moves the container's init into its cgroups.
 *
 * <p>{@link #prime} makes a move that changes nothing, on a thread of its own, as a start begins:
 * the grace period then passes while berthd mounts the root filesystem, sets up the network
 * namespace and writes the bundle, and conmon's move finds the lock warm. The move is of the
 * primer's own thread, parked in {@code <parent>/primer} of one v1 hierarchy (it joined by writing
 * "0" to the tasks file, a self-move, which takes no global lock), into that same cgroup. Nothing
 * outside the engine's cgroup parent is written, and no process of a container is touched. On a
 * host without v1 hierarchies the primer does nothing.
 */
final class CgroupMovePrimer implements AutoCloseable {

  static final String CGROUP = "primer";
  private static final System.Logger LOG = System.getLogger(CgroupMovePrimer.class.getName());

  private final CgroupTree cgroups;
  private final Optional<Path> tasks;
  // Guarded by this.
  private Thread thread;
  private boolean wanted;
  private boolean closed;

  CgroupMovePrimer(CgroupTree cgroups) {
    this.cgroups = cgroups;
    this.tasks = cgroups.threadDir(CGROUP).map(dir -> dir.resolve("tasks"));
  }

  /** Starts a move that changes nothing, unless one is under way; returns at once. */
  synchronized void prime() {
    if (closed || tasks.isEmpty()) {
      return;
    }
    if (thread == null) {
      thread = Thread.ofPlatform().daemon().name("berth-cgroup-primer").start(this::run);
    }
    wanted = true;
    notifyAll();
  }

  private void run() {
    try {
      cgroups.createThreadDir(CGROUP);
      Path file = tasks.orElseThrow();
      write(file, "0");
      // The kernel's id of this thread: /proc/thread-self is <pid>/task/<tid>.
      String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
      while (next()) {
        write(file, tid);
      }
    } catch (IOException | RuntimeException e) {
      // Starts go on as before, waiting where the kernel makes them.
      LOG.log(System.Logger.Level.DEBUG, "cgroup moves are not primed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized boolean next() throws InterruptedException {
    while (!wanted && !closed) {
      wait();
    }
    wanted = false;
    return !closed;
  }

  private static void write(Path file, String value) throws IOException {
    Files.writeString(file, value, StandardOpenOption.WRITE);
  }

  /** Ends the thread, which leaves the cgroup as it exits, and removes the cgroup once it has. */
  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      closed = true;
      notifyAll();
      t = thread;
    }
    if (t != null) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (tasks.isPresent()) {
      try {
        // The thread is done, but the kernel may hold the cgroup busy a moment longer: remove waits that out.
        cgroups.remove(CGROUP);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "cannot remove the cgroup move primer's cgroup: " + e.getMessage());
      }
    }
  }
}
