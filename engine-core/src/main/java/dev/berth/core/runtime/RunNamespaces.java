package dev.berth.core.runtime;

import java.nio.file.Path;

/**
 * The namespaces a container shares besides its network's ({@link NetworkNamespace}) and the
 * /dev/shm that goes with its IPC namespace, as moby's WithNamespaces and setupIPCDirs give them.
 *
 * @param pid {@code PidMode}: a new PID namespace, the host's, or another container's
 * @param ipc {@code IpcMode}: a new IPC namespace, the host's, or another container's
 * @param hostUts {@code UTSMode=host}: no UTS namespace, so no hostname or domain name is set
 * @param shm what is mounted at /dev/shm unless a mount of the container's own is there
 */
public record RunNamespaces(SharedNamespace pid, SharedNamespace ipc, boolean hostUts, Shm shm) {

  /** Namespaces of its own and a private /dev/shm: Docker's defaults. */
  public static final RunNamespaces PRIVATE =
      new RunNamespaces(SharedNamespace.PRIVATE, SharedNamespace.PRIVATE, false, new Shm.Private());

  public RunNamespaces {
    pid = pid == null ? SharedNamespace.PRIVATE : pid;
    ipc = ipc == null ? SharedNamespace.PRIVATE : ipc;
    shm = shm == null ? new Shm.Private() : shm;
  }

  /** /dev/shm of a container. */
  public sealed interface Shm {
    /** A tmpfs of its own, of the container's shm size ({@code private}, {@code shareable}). */
    record Private() implements Shm {}

    /** Nothing at /dev/shm ({@code IpcMode=none}). */
    record None() implements Shm {}

    /**
     * The host's /dev/shm ({@code host}) or the one of the container it joins: a bind, so both
     * see the same POSIX shared memory.
     */
    record Bind(Path source) implements Shm {}
  }
}
