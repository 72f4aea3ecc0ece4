package dev.berth.core.runtime;

import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The engine's own cgroups: directories under one absolute parent, mirrored in every mounted
 * hierarchy (each cgroup v1 controller and the cgroup2 tree, which a hybrid host has side by
 * side). Every path here is below the parent, so the engine never writes to a cgroup it does not
 * own.
 */
final class CgroupTree {

  private static final Pattern CHILD = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A mounted hierarchy: the cgroup2 tree ({@code unified}) or a v1 hierarchy with its
   * controllers (as named in its mount options, e.g. {@code cpu}, {@code cpuacct}, {@code freezer}).
   */
  record Hierarchy(Path mount, boolean unified, Set<String> controllers) {

    Hierarchy {
      controllers = Set.copyOf(controllers);
    }

    static Hierarchy v1(Path mount, String... controllers) {
      return new Hierarchy(mount, false, Set.of(controllers));
    }

    static Hierarchy v2(Path mount) {
      return new Hierarchy(mount, true, Set.of());
    }

    /** A v1 cpuset needs its cpus and mems filled in before it takes a process. */
    boolean cpuset() {
      return controllers.contains("cpuset");
    }
  }

  private final String parent;
  private final List<Hierarchy> hierarchies;

  CgroupTree(String parent, List<Hierarchy> hierarchies) {
    if (!parent.startsWith("/") || parent.equals("/") || List.of(parent.split("/")).contains("..")) {
      throw new IllegalArgumentException("cgroup parent must be an absolute, non-root path: " + parent);
    }
    this.parent = parent;
    this.hierarchies = List.copyOf(hierarchies);
  }

  /** The hierarchies mounted in this process's mount namespace. */
  static CgroupTree discover(String parent) {
    try {
      return new CgroupTree(parent, parseMountinfo(Files.readAllLines(Path.of("/proc/self/mountinfo"))));
    } catch (IOException e) {
      throw new InternalException("cannot read mountinfo: " + e.getMessage(), e);
    }
  }

  static List<Hierarchy> parseMountinfo(List<String> lines) {
    var found = new ArrayList<Hierarchy>();
    var devices = new HashSet<String>();
    for (String line : lines) {
      String[] fields = line.split(" ");
      int dash = List.of(fields).indexOf("-");
      if (dash < 5 || dash + 1 >= fields.length) {
        continue;
      }
      String type = fields[dash + 1];
      if (!type.equals("cgroup") && !type.equals("cgroup2")) {
        continue;
      }
      // The same hierarchy can be mounted twice; one directory per hierarchy is enough.
      if (!devices.add(fields[2])) {
        continue;
      }
      if (type.equals("cgroup2")) {
        found.add(Hierarchy.v2(Path.of(fields[4])));
        continue;
      }
      // v1 super options: rw or ro, the controllers, and name=, xattr and the like, which no
      // controller is called.
      String superOptions = dash + 3 < fields.length ? fields[dash + 3] : "";
      var controllers = new HashSet<String>();
      for (String option : superOptions.split(",")) {
        if (!option.isEmpty() && !option.equals("rw") && !option.equals("ro") && !option.contains("=")) {
          controllers.add(option);
        }
      }
      found.add(new Hierarchy(Path.of(fields[4]), false, controllers));
    }
    return found;
  }

  String parent() {
    return parent;
  }

  /** The same hierarchies under another parent (a container's own {@code --cgroup-parent}). */
  CgroupTree withParent(String otherParent) {
    return new CgroupTree(otherParent, hierarchies);
  }

  /** Creates {@code <parent>/<child>} in every hierarchy. */
  void create(String child) {
    checkChild(child);
    for (Hierarchy h : hierarchies) {
      Path dir = dir(h, child);
      try {
        Files.createDirectories(dir);
        if (h.cpuset()) {
          // A new v1 cpuset has no cpus or mems and refuses tasks until it inherits them.
          inheritCpuset(h.mount().resolve(parent.substring(1)), h.mount());
          inheritCpuset(dir, h.mount());
        }
      } catch (IOException e) {
        throw new InternalException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Creates {@code <parent>/<child>} in the cgroup2 tree alone, for a runtime that places a
   * container in the v1 hierarchies only (crun through {@link Cgroup2Hider}).
   *
   * @return the directory; empty when the host has no cgroup2 tree
   */
  Optional<Path> createInCgroup2(String child) {
    checkChild(child);
    Optional<Hierarchy> unified = hierarchies.stream().filter(Hierarchy::unified).findFirst();
    if (unified.isEmpty()) {
      return Optional.empty();
    }
    Path dir = dir(unified.get(), child);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InternalException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
    }
    return Optional.of(dir);
  }

  /**
   * Writes {@code value} to {@code file} of {@code <parent>/<child>} in the v1 hierarchy of
   * {@code controller}, or in the cgroup2 tree when no v1 hierarchy has it.
   */
  void write(String child, String controller, String file, String value) {
    checkChild(child);
    Hierarchy h = hierarchies.stream().filter(x -> x.controllers().contains(controller)).findFirst()
        .or(() -> hierarchies.stream().filter(Hierarchy::unified).findFirst())
        .orElseThrow(() -> new InternalException("no cgroup hierarchy has the " + controller + " controller"));
    Path target = dir(h, child).resolve(file);
    try {
      Files.writeString(target, value, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new InternalException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }

  /** Moves {@code pid} into {@code <parent>/<child>} in every hierarchy. */
  void addProcess(String child, int pid) {
    checkChild(child);
    for (Hierarchy h : hierarchies) {
      Path procs = dir(h, child).resolve("cgroup.procs");
      try {
        Files.writeString(procs, Integer.toString(pid), StandardOpenOption.WRITE);
      } catch (IOException e) {
        throw new InternalException("cannot move process " + pid + " into " + procs + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * How a new process joins {@code <parent>/<child>} as it is made, with no move by pid (a move
   * by pid waits out an RCU grace period, 6–25 ms, whenever the kernel's threadgroup lock was idle).
   *
   * @param threadFiles the {@code tasks} file of each v1 hierarchy: a single-threaded process that
   *     writes "0" to one moves itself there, which takes no global lock
   * @param unified the cgroup2 tree's directory, which a process enters as it is cloned
   *     ({@code CLONE_INTO_CGROUP}); empty when the host has no cgroup2 tree, or on a hybrid host
   *     when the runtime made no directory there (it holds no controllers: membership limits nothing)
   */
  record Joining(List<Path> threadFiles, Optional<Path> unified) {}

  Joining joining(String child) {
    checkChild(child);
    var threadFiles = new ArrayList<Path>();
    Optional<Path> unified = Optional.empty();
    boolean hybrid = hierarchies.stream().anyMatch(h -> !h.unified());
    for (Hierarchy h : hierarchies) {
      Path dir = dir(h, child);
      if (!h.unified()) {
        threadFiles.add(dir.resolve("tasks"));
      } else if (!hybrid || Files.isDirectory(dir)) {
        unified = Optional.of(dir);
      }
    }
    return new Joining(List.copyOf(threadFiles), unified);
  }

  /**
   * Removes {@code <parent>/<child>} from every hierarchy. A cgroup stays busy for a moment after
   * its last process exits, so EBUSY is retried until a deadline.
   */
  void remove(String child) {
    checkChild(child);
    long deadline = System.nanoTime() + BUSY_TIMEOUT.toNanos();
    for (Hierarchy h : hierarchies) {
      Path dir = dir(h, child);
      while (!removeDir(dir)) {
        if (System.nanoTime() > deadline) {
          throw new InternalException("cgroup " + dir + " is still in use");
        }
        pause();
      }
    }
  }

  /** Removes {@code <parent>/<child>} where it is empty; false if some hierarchy still has it in use. */
  boolean removeIfUnused(String child) {
    checkChild(child);
    boolean removed = true;
    for (Hierarchy h : hierarchies) {
      removed &= removeDir(dir(h, child));
    }
    return removed;
  }

  /** Removes the parent itself where nothing is left under it; false if anything is. */
  boolean removeParentIfEmpty() {
    boolean removed = true;
    for (Hierarchy h : hierarchies) {
      removed &= removeDir(h.mount().resolve(parent.substring(1)));
    }
    return removed;
  }

  /** The names of the cgroups directly under the parent, in any hierarchy. */
  Set<String> children() {
    var out = new java.util.TreeSet<String>();
    for (Hierarchy h : hierarchies) {
      try (var dirs = Files.newDirectoryStream(h.mount().resolve(parent.substring(1)), Files::isDirectory)) {
        dirs.forEach(d -> out.add(d.getFileName().toString()));
      } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
        // no parent in this hierarchy yet
      } catch (IOException e) {
        throw new InternalException("cannot list the cgroups under " + parent + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** The hierarchies in which {@code <parent>/<child>} exists (for checks and tests). */
  List<Path> existing(String child) {
    checkChild(child);
    return hierarchies.stream().map(h -> dir(h, child)).filter(Files::isDirectory).toList();
  }

  /** Pids in {@code <parent>/<child>}, over all hierarchies. */
  List<Integer> pids(String child) {
    var pids = new HashSet<Integer>();
    for (Path dir : existing(child)) {
      try {
        for (String line : Files.readAllLines(dir.resolve("cgroup.procs"))) {
          if (!line.isBlank()) {
            pids.add(Integer.parseInt(line.trim()));
          }
        }
      } catch (NoSuchFileException e) {
        // Removed meanwhile.
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return List.copyOf(pids);
  }

  /**
   * Whether the freezer holds {@code <parent>/<child>} frozen (or freezing). The v1 freezer
   * hierarchy is where runc freezes on a v1 or hybrid host; on a pure cgroup2 host it is
   * {@code cgroup.freeze}. False if the cgroup does not exist.
   */
  boolean frozen(String child) {
    checkChild(child);
    Optional<Hierarchy> freezer = hierarchies.stream().filter(h -> h.controllers().contains("freezer")).findFirst();
    try {
      if (freezer.isPresent()) {
        // THAWED, FREEZING or FROZEN; FREEZING is a pause under way (or one stuck on a busy task).
        return !Files.readString(dir(freezer.get(), child).resolve("freezer.state")).strip().equals("THAWED");
      }
      Optional<Hierarchy> unified = hierarchies.stream().filter(Hierarchy::unified).findFirst();
      if (unified.isPresent()) {
        return Files.readString(dir(unified.get(), child).resolve("cgroup.freeze")).strip().equals("1");
      }
      return false;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new InternalException("cannot read the freezer state of " + child + ": " + e.getMessage(), e);
    }
  }

  /**
   * How many processes of {@code <parent>/<child>} the kernel's OOM killer has killed since the
   * cgroup was made: {@code oom_kill} of v1 {@code memory.oom_control} (kernel 4.13 and later)
   * where the memory controller is on v1, else of cgroup2 {@code memory.events}. 0 if the cgroup
   * is gone or the kernel does not count.
   */
  long oomKills(String child) {
    checkChild(child);
    Optional<Path> file = controllerDir("memory", child).map(d -> d.resolve("memory.oom_control"))
        .or(() -> hierarchies.stream().filter(Hierarchy::unified).findFirst()
            .map(h -> dir(h, child).resolve("memory.events")));
    if (file.isEmpty()) {
      return 0;
    }
    try {
      for (String line : Files.readAllLines(file.get())) {
        String[] kv = line.trim().split("\\s+");
        if (kv.length == 2 && kv[0].equals("oom_kill")) {
          return Long.parseLong(kv[1]);
        }
      }
      return 0;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      throw new InternalException("cannot read the OOM kills of " + child + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code <parent>/<child>} in the one v1 hierarchy where a thread of the engine may park alone
   * (pids if mounted, else the first that is not cpuset); empty on a host with no v1 hierarchy.
   */
  Optional<Path> threadDir(String child) {
    checkChild(child);
    return threadHierarchy().map(h -> dir(h, child));
  }

  /** Creates {@link #threadDir}; removed with {@link #removeIfUnused} as any other child. */
  void createThreadDir(String child) {
    Path dir = threadDir(child).orElseThrow(() -> new InternalException("no cgroup v1 hierarchy is mounted"));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InternalException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
    }
  }

  private Optional<Hierarchy> threadHierarchy() {
    return hierarchies.stream().filter(h -> h.controllers().contains("pids")).findFirst()
        .or(() -> hierarchies.stream().filter(h -> !h.unified() && !h.cpuset()).findFirst());
  }

  /** {@code <parent>/<child>} in the first hierarchy that has {@code controller} (v1), if any. */
  Optional<Path> controllerDir(String controller, String child) {
    checkChild(child);
    return hierarchies.stream().filter(h -> h.controllers().contains(controller)).findFirst().map(h -> dir(h, child));
  }

  List<Hierarchy> hierarchies() {
    return hierarchies;
  }

  private Path dir(Hierarchy h, String child) {
    return h.mount().resolve(parent.substring(1)).resolve(child);
  }

  // rmdir(2); true when the directory is gone. A cgroup directory with only its control files is "empty".
  private static boolean removeDir(Path dir) {
    try {
      Files.deleteIfExists(dir);
      return true;
    } catch (DirectoryNotEmptyException e) {
      return false;
    } catch (FileSystemException e) {
      // EBUSY: processes or child cgroups remain.
      return false;
    } catch (IOException e) {
      throw new InternalException("cannot remove cgroup " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void inheritCpuset(Path dir, Path root) throws IOException {
    if (dir.equals(root)) {
      return;
    }
    inheritCpuset(dir.getParent(), root);
    for (String file : List.of("cpuset.cpus", "cpuset.mems")) {
      Path own = dir.resolve(file);
      if (Files.readString(own).isBlank()) {
        Files.writeString(own, Files.readString(dir.getParent().resolve(file)).trim(), StandardOpenOption.WRITE);
      }
    }
  }

  private static void checkChild(String child) {
    if (!CHILD.matcher(child).matches()) {
      throw new IllegalArgumentException("not a cgroup name: " + child);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while removing a cgroup", e);
    }
  }
}
