package dev.berth.core.container.fs;

import dev.berth.core.archive.FileMode;
import dev.berth.core.archive.PathStat;
import dev.berth.core.archive.TarUnpacker;
import dev.berth.core.archive.TarWriter;
import dev.berth.core.container.model.Change;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerLocks;
import dev.berth.core.container.model.ContainerLookup;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.fs.FileTrees;
import dev.berth.core.fs.GoPath;
import dev.berth.core.fs.RootedPath.Node;
import dev.berth.core.fs.RootedPath.Resolution;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.image.Compression;
import dev.berth.core.os.RootedFiles;
import dev.berth.core.volume.VolumeName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code docker cp} and {@code docker export}: reading and writing a container's files, whether it
 * runs, is stopped or was never started (moby daemon/archive.go). Each operation holds the
 * container's lock, so it never races a start, an exit's clean-up or a removal; a container that
 * does not run has its root filesystem and volumes mounted for the operation and unmounted after.
 */
public final class ContainerArchive {

  private static final Set<String> NETWORK_FILES = Set.of("/etc/resolv.conf", "/etc/hostname", "/etc/hosts");

  private final ContainerLookup containers;
  private final ContainerRootfs rootfs;
  private final ContainerMounts mounts;
  private final ContainerLocks locks;

  public ContainerArchive(ContainerLookup containers, ContainerRootfs rootfs, ContainerMounts mounts, ContainerLocks locks) {
    this.containers = containers;
    this.rootfs = rootfs;
    this.mounts = mounts;
    this.locks = locks;
  }

  /**
   * {@code HEAD /containers/{id}/archive}.
   *
   * @throws NotFoundException {@code Could not find the file <path> in container <ref>}
   */
  public PathStat stat(String ref, String path) {
    Container c = containers.find(ref);
    return locks.with(c.id(), () -> {
      try (Session s = open(current(c)); Resolved r = stat(s.view, ref, path)) {
        return r.stat();
      }
    });
  }

  /** A stat and the tar of a path, read while the container's lock is held; close releases it. */
  public interface Archive extends AutoCloseable {
    PathStat stat();

    void writeTo(OutputStream out) throws IOException;

    @Override
    void close();
  }

  /** {@code GET /containers/{id}/archive}: the path (a directory with everything below) as a tar. */
  public Archive archive(String ref, String path) {
    Container c = containers.find(ref);
    // The tar is written after this returns (the caller sends the stat header first), so the lock
    // and the mounts are held by the returned object until it is closed.
    var holder = new Object() {
      Session session;
      Resolved resolved;
    };
    locks.lockFor(c.id());
    try {
      holder.session = open(current(c));
      holder.resolved = stat(holder.session.view, ref, path);
    } catch (RuntimeException e) {
      if (holder.session != null) {
        holder.session.close();
      }
      locks.unlockFor(c.id());
      throw e;
    }
    return new Archive() {
      private boolean closed;

      @Override
      public PathStat stat() {
        return holder.resolved.stat();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        Resolved r = holder.resolved;
        var tar = new TarWriter(out, false);
        tar.addTree(r.base(), holder.session.view.tree(), r.node());
        tar.finish();
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          try {
            holder.resolved.close();
            holder.session.close();
          } finally {
            locks.unlockFor(c.id());
          }
        }
      }
    };
  }

  /**
   * {@code PUT /containers/{id}/archive}: extracts a tar into a directory of the container.
   *
   * @param copyUIDGID everything written belongs to the container's user (its Config.User)
   * @throws NotFoundException if the directory does not exist
   * @throws InvalidArgumentException if it is not a directory, is read-only, or the tar escapes
   */
  public void extract(String ref, String path, boolean noOverwriteDirNonDir, boolean copyUIDGID, InputStream tar) {
    Container c = containers.find(ref);
    locks.run(c.id(), () -> {
      try (Session s = open(current(c)); Resolution dest = s.view.tree().resolve(absolute(path), true)) {
        if (dest.node() == null) {
          throw fileNotFound(path, ref);
        }
        if (!dest.node().isDirectory()) {
          throw new InvalidArgumentException("extraction point is not a directory");
        }
        s.view.checkWritable(dest.path());
        int uid = -1;
        int gid = -1;
        String user = s.container.config().user();
        if (copyUIDGID && !user.isEmpty()) {
          ExecUser who = ExecUser.resolve(s.view.tree(), user);
          uid = who.uid();
          gid = who.gid();
        }
        InputStream plain;
        try {
          // As dockerd's DecompressStream: the tar may come gzip, bzip2, xz or zstd compressed.
          plain = Compression.decompress(tar);
        } catch (IOException e) {
          throw new InvalidArgumentException("cannot read the archive: " + e.getMessage());
        }
        TarUnpacker.unpack(plain, s.view, dest.node(), new TarUnpacker.Options(noOverwriteDirNonDir, uid, gid));
      }
    });
  }

  /**
   * {@code docker export}: the container's root filesystem (not its volumes) as a tar, names
   * relative and without the root itself, as dockerd writes it.
   */
  public void export(String ref, OutputStream out) {
    Container c = containers.find(ref);
    locks.run(c.id(), () -> {
      boolean mounted = rootfs.isMounted(c.id());
      Path root = rootfs.mount(current(c));
      try (RootedPath tree = RootedPath.open(root)) {
        var tar = new TarWriter(out, false);
        tar.addContents(tree);
        tar.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        if (!mounted) {
          rootfs.unmount(c.id());
        }
      }
    });
  }

  /** {@code docker diff}: what the container changed in its root filesystem, by path. */
  public List<Change> changes(String ref) {
    Container c = containers.find(ref);
    var lowers = new ArrayList<Path>();
    Path init = rootfs.dir(c.id()).resolve("init");
    if (Files.isDirectory(init)) {
      lowers.add(init);
    }
    lowers.addAll(rootfs.imageLayers(c));
    return UpperDiff.changes(rootfs.upper(c.id()), lowers);
  }

  /** The object a path names (not followed if it is a symlink), and its stat; close it to let the object go. */
  private record Resolved(PathStat stat, Node node, String base) implements AutoCloseable {
    @Override
    public void close() {
      node.close();
    }
  }

  /** moby containerStatPath: lstat of the path with all but its last component resolved in the container. */
  private static Resolved stat(ContainerView view, String ref, String path) {
    String abs = absolute(path);
    Resolution r = view.tree().resolve(abs, false);
    if (r.node() == null) {
      throw fileNotFound(path, ref);
    }
    try {
      RootedFiles.Stat st = r.node().stat();
      long mode = FileMode.of(st.mode());
      String link = "";
      if (st.isSymlink()) {
        try (Resolution target = view.tree().resolve(abs, true)) {
          link = target.path();
        }
      }
      String base = base(path, abs);
      return new Resolved(new PathStat(base, st.size(), mode, st.mtime(), link), r.node(), base);
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  /** The path as dockerd takes it: joined to / and cleaned, with a trailing "/" or "/." kept. */
  static String absolute(String path) {
    String clean = GoPath.clean(path);
    if (path.endsWith("/.") || path.equals(".")) {
      return clean.equals("/") ? "/." : clean + "/.";
    }
    return clean;
  }

  /** Go's filepath.Base of the requested path: the last element, "/" for the root, "." for "dir/.". */
  static String base(String requested, String abs) {
    if (abs.endsWith("/.")) {
      return ".";
    }
    if (abs.equals("/")) {
      return "/";
    }
    return abs.substring(abs.lastIndexOf('/') + 1);
  }

  private static NotFoundException fileNotFound(String path, String ref) {
    return new NotFoundException("Could not find the file " + path + " in container " + ref);
  }

  private Container current(Container c) {
    return containers.get(c.id()).orElseThrow(() -> new NotFoundException("No such container: " + c.id().hex()));
  }

  /** What a view needs mounted, and what to undo after. */
  private final class Session implements AutoCloseable {
    final Container container;
    ContainerView view;
    private final boolean mountedRoot;
    private final List<VolumeName> acquired = new ArrayList<>();
    private final List<Path> scratch = new ArrayList<>();

    Session(Container c) {
      this.container = c;
      if (c.state() instanceof ContainerState.Live live) {
        // The kernel shows the container's own mounts (volumes, binds, tmpfs) under its root.
        this.mountedRoot = false;
        // The magic link is followed once, by us, to open the tree's root; inside, nothing is resolved against it.
        this.view = new ContainerView(List.of(new ContainerView.Mapping("/", Path.of("/proc", Integer.toString(
            live.pid()), "root"))), c.mounts(), c.hostConfig().storage().tmpfs(), c.hostConfig().readonlyRootfs());
        return;
      }
      this.mountedRoot = !rootfs.isMounted(c.id());
      boolean ok = false;
      try {
        Path root = rootfs.mount(c);
        var mappings = new ArrayList<ContainerView.Mapping>();
        mappings.add(new ContainerView.Mapping("/", root));
        var taken = new java.util.HashSet<String>();
        for (MountPoint m : c.mounts()) {
          taken.add(m.destination());
          switch (m.type()) {
            case VOLUME -> {
              VolumeName n = new VolumeName(m.name());
              mappings.add(new ContainerView.Mapping(m.destination(),
                  mounts.volumes().acquire(n, "archive-" + c.id().hex())));
              acquired.add(n);
            }
            case BIND -> mappings.add(new ContainerView.Mapping(m.destination(), Path.of(m.source())));
            case TMPFS -> mappings.add(new ContainerView.Mapping(m.destination(), emptyDir()));
          }
        }
        for (String dest : c.hostConfig().storage().tmpfs().keySet()) {
          taken.add(dest);
          mappings.add(new ContainerView.Mapping(dest, emptyDir()));
        }
        for (String file : NETWORK_FILES) {
          Path generated = rootfs.dir(c.id()).resolve(file.substring(file.lastIndexOf('/') + 1));
          if (!taken.contains(file) && Files.isRegularFile(generated)) {
            mappings.add(new ContainerView.Mapping(file, generated));
          }
        }
        this.view = new ContainerView(mappings, c.mounts(), c.hostConfig().storage().tmpfs(),
            c.hostConfig().readonlyRootfs());
        ok = true;
      } finally {
        if (!ok) {
          close();
        }
      }
    }

    /** A stopped container's tmpfs is empty, and what is written to it is gone after, as with dockerd. */
    private Path emptyDir() {
      try {
        Path d = Files.createDirectories(rootfs.dir(container.id()).resolve("archive-tmpfs"));
        Path p = Files.createTempDirectory(d, "t");
        scratch.add(p);
        return p;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      if (view != null) {
        view.close();
      }
      for (VolumeName n : acquired) {
        mounts.volumes().release(n, "archive-" + container.id().hex());
      }
      scratch.forEach(FileTrees::delete);
      if (mountedRoot) {
        rootfs.unmount(container.id());
      }
    }
  }

  private Session open(Container c) {
    return new Session(c);
  }
}
