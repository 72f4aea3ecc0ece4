package dev.berth.core.fs;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import dev.berth.core.os.RootedFiles;
import dev.berth.core.os.RootedFiles.Stat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's file system as the container names it ({@code /etc/passwd}), the one resolver of
 * paths inside a root in the engine: {@code docker cp} both ways, export, commit, image layers, a
 * container's user and working directory.
 *
 * <p>The tree is a root directory, optionally with host directories and files shown at paths below
 * it (a stopped container's volumes, binds and generated {@code /etc/hosts}; a running container's
 * {@code /proc/<pid>/root} shows its mounts itself). Symlinks are followed against the tree's root,
 * never the host's, and {@code ..} never climbs above it, so a link to {@code /}, to
 * {@code ../../..} or to a host path resolves inside.
 *
 * <p>Nothing the content does meanwhile can make the engine leave the tree, because no path is
 * ever handed to the kernel twice or whole: the walk opens one name at a time relative to the
 * descriptor of the directory it has reached ({@link RootedFiles#tryOpenAt}: openat2 in that
 * directory as its root, no symlink followed, no magic link), takes {@code ..} from the directories
 * it walked rather than from the file system, and hands back descriptors ({@link Node}) on which
 * every later operation works. A directory swapped for a symlink after it was opened changes
 * nothing: the descriptor still names the directory. Directories once opened are kept (a bounded
 * cache by resolved path), so a tar of many files opens each directory once.
 *
 * <p>For one thread at a time.
 */
public final class RootedPath implements AutoCloseable {

  private static final int MAX_LINKS = 255;
  private static final int CACHED_DIRECTORIES = 512;

  /** A host directory or file shown at {@code destination} (clean and absolute, not the root) in the tree. */
  public record Mount(String destination, Path host) {
    public Mount {
      if (!destination.startsWith("/") || destination.equals("/") || !GoPath.clean(destination).equals(destination)) {
        throw new IllegalArgumentException("not a clean absolute path below /: " + destination);
      }
    }
  }

  /** A resolved path: where it leads in the tree, and what is there (null if nothing is). */
  public record Resolution(String path, Node node) implements AutoCloseable {
    @Override
    public void close() {
      if (node != null) {
        node.close();
      }
    }
  }

  /**
   * Where an entry of a directory lives, for changing it: the directory descriptor and name to use
   * (a host file's own directory and name for a mounted file), and what is there now.
   *
   * @param mountRoot a mounted directory (or the root): it can be written into, never replaced
   */
  public record Slot(String path, int dirFd, String name, Stat existing, boolean mountRoot) {}

  /** Why a walk that may not follow links, or must find directories, stopped. */
  public static final class Refused extends RuntimeException {
    public enum Why { SYMLINK, NOT_A_DIRECTORY }

    private final Why why;
    private final String path;

    Refused(Why why, String path) {
      super(why + " " + path, null, false, false);
      this.why = why;
      this.path = path;
    }

    public Why why() {
      return why;
    }

    /** The path in the tree of the component that was a symlink or no directory. */
    public String path() {
      return path;
    }
  }

  /** What a walk that makes missing directories does around each one it makes. */
  public interface Maker {
    /** Before a directory is made in {@code parent} (a resolved path); may refuse by throwing. */
    default void check(String parent) { }

    /** The directory just made, to set its owner and mode. */
    void made(Node dir);
  }

  /**
   * An open object of the tree: an {@code O_PATH} descriptor and the path it was reached by. Close
   * it when done; a directory's descriptor is shared with the cache and outlives the close.
   */
  public final class Node implements AutoCloseable {
    private final String path;
    private final int fd;
    private final boolean permanent;
    private Stat stat;
    private int refs;
    private boolean cached;

    private Node(String path, int fd, Stat stat, boolean permanent) {
      this.path = path;
      this.fd = fd;
      this.stat = stat;
      this.permanent = permanent;
      this.refs = 1;
    }

    public String path() {
      return path;
    }

    public int fd() {
      return fd;
    }

    /** lstat of the object, taken when it was opened (its type never changes). */
    public Stat stat() {
      if (stat == null) {
        stat = RootedFiles.stat(fd, "");
      }
      return stat;
    }

    /** A fresh lstat, for sizes and times that may have changed. */
    public Stat restat() {
      stat = RootedFiles.stat(fd, "");
      return stat;
    }

    public boolean isDirectory() {
      return stat().isDirectory();
    }

    Node pin() {
      if (!permanent) {
        refs++;
      }
      return this;
    }

    @Override
    public void close() {
      if (permanent || refs == 0) {
        return;
      }
      if (--refs == 0 && !cached) {
        Fd.close(fd);
      }
    }

    private void evict() {
      cached = false;
      if (refs == 0) {
        Fd.close(fd);
      }
    }
  }

  /** A mounted host object: its node, and its host directory and name for replacing a file. */
  private record Mounted(Node node, int hostDirFd, String hostName) {}

  private final Node root;
  private final Map<String, Mounted> mounts = new HashMap<>();
  private final LinkedHashMap<String, Node> dirs = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Node> eldest) {
      if (size() > CACHED_DIRECTORIES) {
        eldest.getValue().evict();
        return true;
      }
      return false;
    }
  };

  private RootedPath(int rootFd) {
    this.root = new Node("/", rootFd, null, true);
  }

  /** The tree below {@code root}, a host directory ({@code /proc/<pid>/root} for a running container). */
  public static RootedPath open(Path root) {
    return open(root, List.of());
  }

  /**
   * The tree below {@code dir}, a directory the engine made whose content others change (a
   * volume's data directory): {@code dir} itself is refused if it is a symlink.
   */
  public static RootedPath openNoFollow(Path dir) {
    return new RootedPath(RootedFiles.openDirectoryNoFollow(dir));
  }

  /**
   * The tree below {@code root} with host objects shown at their destinations. A host object that
   * does not exist shows as nothing there.
   */
  public static RootedPath open(Path root, List<Mount> mounts) {
    var t = new RootedPath(RootedFiles.openDirectory(root));
    try {
      for (Mount m : mounts) {
        t.mount(m);
      }
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private void mount(Mount m) {
    if (mounts.containsKey(m.destination())) {
      return; // the first of two at one destination shows, as ContainerView's mappings did
    }
    Path parent = m.host().getParent();
    int fd = RootedFiles.tryOpenHost(m.host());
    if (fd < 0) {
      if (-fd != RootedFiles.ENOENT && -fd != RootedFiles.ENOTDIR) {
        throw new ErrnoException("open " + m.host(), -fd);
      }
      mounts.put(m.destination(), new Mounted(null, -1, null));
      return;
    }
    var node = new Node(m.destination(), fd, null, true);
    String name = m.host().getFileName().toString();
    mounts.put(m.destination(), new Mounted(node, -1, name));
    if (parent != null && !node.isDirectory()) {
      mounts.put(m.destination(), new Mounted(node, RootedFiles.openDirectory(parent), name));
    }
  }

  /** The root directory; close it as any node (it stays open). */
  public Node root() {
    return root;
  }

  /**
   * Resolves {@code path} (relative paths are taken from the root) following every symlink inside
   * the tree, the last component too if {@code followLast} or if a {@code /.} follows it. What
   * does not exist is kept as written, so the resolution names where a link would lead.
   *
   * @throws InvalidArgumentException for more than 255 links (a loop)
   */
  public Resolution resolve(String path, boolean followLast) {
    return walk(path, followLast, true, null);
  }

  /**
   * Resolves {@code path} without following any symlink: one on the way (or at the end, if
   * {@code followLast}) is refused.
   *
   * @throws Refused naming the symlink
   */
  public Resolution resolveNoLinks(String path, boolean followLast) {
    return walk(path, followLast, false, null);
  }

  /**
   * The directory at {@code path}, making each missing directory on the way (mode 0755), following
   * symlinks inside the tree if {@code followLinks}.
   *
   * @throws Refused if a component is not a directory, or a symlink when links are not followed
   */
  public Node directory(String path, boolean followLinks, Maker maker) {
    Resolution r = walk(path, true, followLinks, maker);
    if (r.node() == null || !r.node().isDirectory()) {
      r.close();
      throw new Refused(Refused.Why.NOT_A_DIRECTORY, r.path());
    }
    return r.node();
  }

  /** {@code mkdir -p} of a container path, as the container would resolve it. */
  public void makeDirectories(String path) {
    try {
      directory(path, true, d -> { }).close();
    } catch (Refused e) {
      throw new UncheckedIOException(new java.nio.file.FileAlreadyExistsException(e.path()));
    }
  }

  /** A regular file's content, following symlinks inside the tree; empty if there is none. */
  public Optional<byte[]> read(String path) {
    try (Resolution r = resolve(path, true)) {
      if (r.node() == null || !r.node().stat().isRegular()) {
        return Optional.empty();
      }
      // Our own /proc/self/fd/N names the file we resolved; nothing in the tree is looked up again.
      return Optional.of(Files.readAllBytes(Path.of("/proc/self/fd/" + r.node().fd())));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The entry {@code name} of a directory, not followed if it is a symlink; null if there is none. */
  public Node child(Node dir, String name) {
    String path = join(dir.path(), name);
    Mounted m = mounts.get(path);
    if (m != null) {
      return m.node();
    }
    Node cached = dirs.get(path);
    if (cached != null) {
      return cached.pin();
    }
    return openChild(dir, name, path);
  }

  /** The names in a directory, sorted. */
  public List<String> list(Node dir) {
    List<String> names = new ArrayList<>(RootedFiles.list(dir.fd()));
    names.sort(null);
    return names;
  }

  /** Where the entry {@code name} of a directory is changed, and what is there now. */
  public Slot slot(Node dir, String name) {
    String path = join(dir.path(), name);
    Mounted m = mounts.get(path);
    if (m != null) {
      if (m.node() == null) {
        throw new InvalidArgumentException("cannot write to \"" + path + "\": its mount source does not exist");
      }
      boolean directory = m.node().isDirectory();
      return new Slot(path, directory ? dir.fd() : m.hostDirFd(), directory ? name : m.hostName(),
          m.node().restat(), directory);
    }
    return new Slot(path, dir.fd(), name, RootedFiles.stat(dir.fd(), name), false);
  }

  /** Opens what a slot holds now, not following a symlink; null if it is gone. */
  public Node open(Slot s) {
    Mounted m = mounts.get(s.path());
    if (m != null) {
      return m.node();
    }
    Node cached = dirs.get(s.path());
    if (cached != null) {
      return cached.pin();
    }
    int fd = RootedFiles.tryOpenAt(s.dirFd(), s.name(), RootedFiles.O_PATH, 0);
    if (fd == -RootedFiles.ENOENT) {
      return null;
    }
    if (fd < 0) {
      throw new ErrnoException("openat " + s.path(), -fd);
    }
    return adopt(s.path(), fd, null);
  }

  /**
   * Forgets the directories at and below {@code path}: the caller removed or replaced them.
   */
  public void forget(String path) {
    String below = path.equals("/") ? "/" : path + "/";
    var gone = new ArrayList<String>();
    for (String k : dirs.keySet()) {
      if (k.equals(path) || k.startsWith(below)) {
        gone.add(k);
      }
    }
    for (String k : gone) {
      dirs.remove(k).evict();
    }
  }

  /** Removes what a slot holds, a directory with everything below it, never following a symlink. */
  public void remove(Slot s) {
    if (s.mountRoot()) {
      throw new InvalidArgumentException("cannot remove \"" + s.path() + "\": it is a mount point");
    }
    if (s.existing() == null) {
      return;
    }
    if (s.existing().isDirectory()) {
      forget(s.path());
      int fd = RootedFiles.tryOpenAt(s.dirFd(), s.name(), RootedFiles.O_PATH | RootedFiles.O_DIRECTORY, 0);
      if (fd >= 0) {
        try {
          removeContents(fd);
        } finally {
          Fd.close(fd);
        }
      }
      unlink(s.dirFd(), s.name(), true);
    } else {
      unlink(s.dirFd(), s.name(), false);
    }
  }

  private static void removeContents(int dirFd) {
    for (String name : RootedFiles.list(dirFd)) {
      Stat st = RootedFiles.stat(dirFd, name);
      if (st == null) {
        continue;
      }
      if (st.isDirectory()) {
        int fd = RootedFiles.tryOpenAt(dirFd, name, RootedFiles.O_PATH | RootedFiles.O_DIRECTORY, 0);
        if (fd >= 0) {
          try {
            removeContents(fd);
          } finally {
            Fd.close(fd);
          }
        }
      }
      unlink(dirFd, name, st.isDirectory());
    }
  }

  private static void unlink(int dirFd, String name, boolean directory) {
    try {
      RootedFiles.unlink(dirFd, name, directory);
    } catch (ErrnoException e) {
      if (e.errno() != RootedFiles.ENOENT) {
        throw e;
      }
    }
  }

  /** Takes a freshly opened descriptor into a node; directories go into the cache. */
  private Node adopt(String path, int fd, Stat known) {
    Stat st = known != null ? known : RootedFiles.stat(fd, "");
    var n = new Node(path, fd, st, false);
    if (st.isDirectory()) {
      n.cached = true;
      Node old = dirs.put(path, n);
      if (old != null && old != n) {
        old.evict();
      }
    }
    return n;
  }

  private Resolution walk(String path, boolean followLast, boolean followLinks, Maker maker) {
    Deque<String> pending = new ArrayDeque<>();
    push(pending, path);
    var names = new ArrayList<String>();
    // nodes.get(i) is what names[0..i] leads to; null where nothing exists (the rest is kept as written).
    var nodes = new ArrayList<Node>();
    int links = 0;
    try {
      while (!pending.isEmpty()) {
        String part = pending.pop();
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          if (!names.isEmpty()) {
            names.removeLast();
            release(nodes.removeLast());
          }
          continue;
        }
        boolean last = pending.stream().allMatch(String::isEmpty);
        String candidate = join(names, part);
        Node dir = nodes.isEmpty() ? root : nodes.getLast();
        Node next = lookup(dir, part, candidate, last);
        if (next == null && maker != null && dir != null && dir.isDirectory() && !mounts.containsKey(candidate)) {
          maker.check(dir.path());
          RootedFiles.mkdir(dir.fd(), part, 0755);
          next = lookup(dir, part, candidate, false);
          if (next == null || !next.isDirectory()) {
            release(next);
            throw new Refused(Refused.Why.NOT_A_DIRECTORY, candidate);
          }
          maker.made(next);
        }
        if (next != null && next.stat().isSymlink() && (followLast || !last)) {
          if (!followLinks) {
            release(next);
            throw new Refused(Refused.Why.SYMLINK, candidate);
          }
          if (++links > MAX_LINKS) {
            release(next);
            throw new InvalidArgumentException("too many levels of symbolic links: " + path);
          }
          String target = RootedFiles.tryReadlink(next.fd());
          release(next);
          if (target == null) {
            // A link that reads as nothing to us (procfs "self" of a PID namespace we are not in).
            names.add(part);
            nodes.add(null);
            continue;
          }
          if (target.startsWith("/")) {
            names.clear();
            nodes.forEach(RootedPath::release);
            nodes.clear();
          }
          push(pending, target);
          continue;
        }
        if (maker != null && !last && (next == null || !next.isDirectory())) {
          release(next);
          throw new Refused(Refused.Why.NOT_A_DIRECTORY, candidate);
        }
        names.add(part);
        nodes.add(next);
      }
      String resolved = names.isEmpty() ? "/" : join(names.subList(0, names.size() - 1), names.getLast());
      Node node = nodes.isEmpty() ? root : nodes.removeLast();
      return new Resolution(resolved, node);
    } finally {
      nodes.forEach(RootedPath::release);
    }
  }

  /**
   * What {@code name} in {@code dir} is: a mount, a cached directory, or the entry itself opened
   * without following it; null if nothing is there (or {@code dir} is no directory).
   */
  private Node lookup(Node dir, String name, String path, boolean mayBeAnything) {
    Mounted m = mounts.get(path);
    if (m != null) {
      return m.node();
    }
    if (dir == null || !dir.isDirectory()) {
      return null;
    }
    Node cached = dirs.get(path);
    if (cached != null) {
      return cached.pin();
    }
    if (!mayBeAnything) {
      // Most components are directories: one call, and no stat, for them.
      int fd = RootedFiles.tryOpenAt(dir.fd(), name, RootedFiles.O_PATH | RootedFiles.O_DIRECTORY, 0);
      if (fd >= 0) {
        return adopt(path, fd, null);
      }
      if (fd == -RootedFiles.ENOENT) {
        return null;
      }
      if (fd != -RootedFiles.ENOTDIR) {
        throw new ErrnoException("openat " + path, -fd);
      }
    }
    return openChild(dir, name, path);
  }

  // Any type, never followed; null if there is no such entry.
  private Node openChild(Node dir, String name, String path) {
    int fd = RootedFiles.tryOpenAt(dir.fd(), name, RootedFiles.O_PATH, 0);
    if (fd == -RootedFiles.ENOENT || fd == -RootedFiles.ENOTDIR) {
      return null;
    }
    if (fd < 0) {
      throw new ErrnoException("openat " + path, -fd);
    }
    return adopt(path, fd, null);
  }

  private static void release(Node n) {
    if (n != null) {
      n.close();
    }
  }

  @Override
  public void close() {
    for (Node n : dirs.values()) {
      n.evict();
    }
    dirs.clear();
    for (Mounted m : mounts.values()) {
      if (m.node() != null) {
        Fd.close(m.node().fd());
      }
      Fd.close(m.hostDirFd());
    }
    mounts.clear();
    Fd.close(root.fd());
  }

  /**
   * The host path of {@code containerPath} under {@code root}, every symlink resolved inside it;
   * components that do not exist are kept as written. Only for a tree nothing changes meanwhile
   * (an image's root filesystem before the container starts): the container could swap a
   * directory of the answer for a symlink before the caller uses it. Otherwise keep to a
   * {@link RootedPath} and its descriptors.
   */
  public static Path resolve(Path root, String containerPath) {
    try (RootedPath t = open(root); Resolution r = t.resolve(containerPath, true)) {
      return r.path().equals("/") ? root : root.resolve(r.path().substring(1));
    }
  }

  /** Whether the resolved path exists and is a regular file (not following a final link again). */
  public static boolean isFile(Path hostPath) {
    return Files.isRegularFile(hostPath, LinkOption.NOFOLLOW_LINKS);
  }

  static String join(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  private static String join(List<String> parts, String next) {
    var sb = new StringBuilder();
    for (String s : parts) {
      sb.append('/').append(s);
    }
    return sb.append('/').append(next).toString();
  }

  private static void push(Deque<String> pending, String path) {
    String[] parts = path.split("/");
    for (int i = parts.length - 1; i >= 0; i--) {
      pending.push(parts[i]);
    }
  }
}
