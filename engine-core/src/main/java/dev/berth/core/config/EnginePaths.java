package dev.berth.core.config;

import java.nio.file.Path;

/**
 * Where the engine keeps things. {@code dataRoot} survives reboots (database, blobs, layers,
 * container layers and logs); {@code execRoot} is runtime state that dies with the machine
 * (bundles, exit files, attach sockets).
 *
 * @param cgroupParent absolute cgroup path under which every container cgroup lives, e.g. {@code /berth}
 */
public record EnginePaths(Path dataRoot, Path execRoot, String cgroupParent) {

  public EnginePaths {
    dataRoot = dataRoot.toAbsolutePath().normalize();
    execRoot = execRoot.toAbsolutePath().normalize();
    cgroupParent = "/" + cgroupParent.replaceAll("^/+|/+$", "");
    if (cgroupParent.equals("/")) {
      throw new IllegalArgumentException("cgroup parent must not be the root cgroup");
    }
  }

  public Path database() {
    return dataRoot.resolve("berth.db");
  }

  public Path blobs() {
    return dataRoot.resolve("blobs").resolve("sha256");
  }

  public Path layers() {
    return dataRoot.resolve("layers");
  }

  /** Scratch space on the same filesystem as blobs and layers, so finished work moves in atomically. */
  public Path tmp() {
    return dataRoot.resolve("tmp");
  }

  /** Volume directories: {@code <name>/_data} holds what containers see, as dockerd's local driver lays it out. */
  public Path volumes() {
    return dataRoot.resolve("volumes");
  }

  /** Persistent per-container files: overlay upper and work dirs, log, hosts, hostname, resolv.conf. */
  public Path container(String id) {
    return containers().resolve(id);
  }

  public Path containers() {
    return dataRoot.resolve("containers");
  }

  /** Runtime state of one container: config.json and conmon's pid files, ctl fifo, attach socket. */
  public Path bundle(String id) {
    return execRoot.resolve("bundles").resolve(id);
  }

  public Path exits() {
    return execRoot.resolve("exits");
  }

  public Path sockets() {
    return execRoot.resolve("socket");
  }

  public Path persist(String id) {
    return persistRoot().resolve(id);
  }

  /** conmon's persist directories, one per container. */
  public Path persistRoot() {
    return execRoot.resolve("persist");
  }

  /** State directory handed to runc/crun ({@code --root}), so each engine has its own. */
  public Path runtimeState() {
    return execRoot.resolve("runtime");
  }

  /** Pinned network namespaces, one per container with a network of its own. */
  public Path netns(String id) {
    return execRoot.resolve("netns").resolve(id);
  }

  /** CNI ADD results (for DEL) and host-local address leases: gone after a reboot, like the namespaces. */
  public Path cni() {
    return execRoot.resolve("cni");
  }

  /** host-local's address leases, a directory per network. */
  public Path leases() {
    return cni().resolve("ipam");
  }
}
