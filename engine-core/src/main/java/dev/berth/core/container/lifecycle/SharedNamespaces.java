package dev.berth.core.container.lifecycle;

import dev.berth.core.container.fs.ContainerDir;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.NamespaceModes;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.EngineException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.runtime.RunNamespaces;
import dev.berth.core.runtime.SharedNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The PID, IPC and UTS namespaces a container is started in, and its /dev/shm: the host's, or
 * those of the container its PidMode or IpcMode names, which must be running then (moby
 * WithNamespaces, getPIDContainer, getIPCContainer and setupIPCDirs, with their words and kinds
 * of failure).
 */
final class SharedNamespaces {

  private static final Path HOST_SHM = Path.of("/dev/shm");

  private final ContainerLookup containers;
  private final Function<ContainerId, Path> dirs;

  /** @param dirs each container's own directory ({@link ContainerFilesystem#dir}) */
  SharedNamespaces(ContainerLookup containers, Function<ContainerId, Path> dirs) {
    this.containers = containers;
    this.dirs = dirs;
  }

  /**
   * @throws ConflictException when the IPC donor is not running (409, as dockerd's setupIPCDirs)
   * @throws InvalidArgumentException when the IPC donor is missing or does not share its IPC
   * @throws InternalException when the PID donor is missing or not running: dockerd meets that
   *     while building the spec, which it reports as a system error (500)
   */
  RunNamespaces of(Container c) {
    NamespaceModes n = c.hostConfig().namespaces();
    SharedNamespace pid = n.hostPid() ? SharedNamespace.HOST : n.pidContainer()
        .map(ref -> donor(ref, "PID", InternalException::new, InternalException::new))
        .map(donor -> SharedNamespace.join(proc(donor, "ns/pid")))
        .orElse(SharedNamespace.PRIVATE);
    SharedNamespace ipc = SharedNamespace.PRIVATE;
    RunNamespaces.Shm shm = new RunNamespaces.Shm.Private();
    if (n.hostIpc()) {
      if (!Files.isDirectory(HOST_SHM)) {
        throw new InternalException("/dev/shm is not mounted, but must be for --ipc=host");
      }
      ipc = SharedNamespace.HOST;
      shm = new RunNamespaces.Shm.Bind(HOST_SHM);
    } else if (n.noShm()) {
      shm = new RunNamespaces.Shm.None();
    } else if (n.shareableIpc()) {
      // Its own mount at /dev/shm, if it has one, wins over this one, as over the private tmpfs.
      shm = new RunNamespaces.Shm.Bind(new ContainerDir(dirs.apply(c.id())).shm());
    } else if (n.ipcContainer().isPresent()) {
      String ref = n.ipcContainer().get();
      Container donor = donor(ref, "IPC", InvalidArgumentException::new, ConflictException::new);
      Path shared = shmPath(donor);
      if (shared == null || !Files.isDirectory(shared)) {
        throw new InvalidArgumentException("failed to join IPC namespace: container " + ref
            + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
      }
      ipc = SharedNamespace.join(proc(donor, "ns/ipc"));
      shm = new RunNamespaces.Shm.Bind(shared);
    }
    return new RunNamespaces(pid, ipc, n.hostUts(), shm);
  }

  /**
   * dockerd's ShmPath of a running container: the host's /dev/shm, the one it joined, or its
   * own host-side tmpfs when it is shareable (none when a mount of its own covers /dev/shm,
   * which {@code ContainerRootfs} then does not make); null for a private one.
   */
  private Path shmPath(Container c) {
    NamespaceModes n = c.hostConfig().namespaces();
    if (n.hostIpc()) {
      return HOST_SHM;
    }
    if (n.shareableIpc()) {
      return new ContainerDir(dirs.apply(c.id())).shm();
    }
    // Ids recorded at create name older containers, so the chain ends.
    return n.ipcContainer().flatMap(containers::findOptional).map(this::shmPath).orElse(null);
  }

  /**
   * The running container a mode names (moby getPIDContainer, getIPCContainer).
   *
   * @param missing the kind of failure for a container that is gone
   * @param notRunning the kind of failure for one that is not running
   */
  private Container donor(String ref, String kind, Function<String, ? extends EngineException> missing,
      Function<String, ? extends EngineException> notRunning) {
    String prefix = "failed to join " + kind + " namespace: ";
    Container donor = containers.findOptional(ref).orElseThrow(() -> missing.apply(prefix + "No such container: "
        + ref));
    if (donor.state() instanceof ContainerState.Restarting) {
      throw notRunning.apply(prefix + "Container " + donor.id().hex()
          + " is restarting, wait until the container is running");
    }
    if (!donor.state().isRunning()) {
      throw notRunning.apply(prefix + "container " + ref + " is not running");
    }
    return donor;
  }

  private static Path proc(Container donor, String file) {
    return Path.of("/proc/" + ((ContainerState.Live) donor.state()).pid() + "/" + file);
  }
}
