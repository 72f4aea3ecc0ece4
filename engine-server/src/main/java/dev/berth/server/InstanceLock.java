package dev.berth.server;

import dev.berth.core.os.LockFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One berthd per pid file, data root and API socket: two engines on one data root would corrupt
 * each other's state, and a second one on a socket would take it from the first. Claimed before
 * berthd touches anything else. The pid file and {@code <data-root>/berth.lock} are held with
 * flock(2), so a crash leaves nothing that blocks the next start; the socket is checked by
 * connecting to it.
 */
final class InstanceLock implements AutoCloseable {

  static final String DATA_ROOT_LOCK = "berth.lock";

  /** Another berthd holds what this one needs; berthd prints the message and exits with status 1. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message);
    }
  }

  private final LockFile pidFile;
  private final LockFile dataRoot;

  private InstanceLock(LockFile pidFile, LockFile dataRoot) {
    this.pidFile = pidFile;
    this.dataRoot = dataRoot;
  }

  /**
   * @throws Refused if a live process holds the pid file or the data root, or listens on the socket
   */
  static InstanceLock claim(Path pidFile, Path dataRoot, Path socket) {
    // dockerd's order and words: the pid file first (dockerd checks the pid is alive; here the
    // lock says so), then the socket (checked again when bound), and the data root last, so a
    // refusal on the socket creates nothing there.
    LockFile pid = hold(pidFile, "failed to start daemon, ensure berthd is not running or delete " + pidFile);
    LockFile data;
    try {
      if (socket != null) { // null: systemd passed the socket, and listens on it until berthd takes it
        ApiServer.checkFree(socket);
      }
      data = hold(dataRoot.resolve(DATA_ROOT_LOCK), "failed to start daemon, ensure berthd is not running: data root "
          + dataRoot + " is in use");
    } catch (RuntimeException e) {
      pid.release(true);
      throw e;
    }
    return new InstanceLock(pid, data);
  }

  private static LockFile hold(Path file, String refusal) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file.toAbsolutePath().getParent(), e);
    }
    LockFile lock = LockFile.tryAcquire(file).orElseThrow(() -> new Refused(refusal + ": " + holder(file)));
    try {
      Files.writeString(file, Long.toString(ProcessHandle.current().pid()));
      return lock;
    } catch (IOException e) {
      lock.close();
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static String holder(Path file) {
    try {
      return "process with PID " + Long.parseLong(Files.readString(file).strip()) + " is still running";
    } catch (IOException | NumberFormatException e) {
      // The holder has locked it and not yet written its pid.
      return "another process holds " + file;
    }
  }

  /** Releases both locks; the pid file goes, as dockerd removes its own on exit. */
  @Override
  public void close() {
    dataRoot.release(false);
    pidFile.release(true);
  }
}
