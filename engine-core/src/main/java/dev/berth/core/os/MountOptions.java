package dev.berth.core.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A comma-separated mount option string split the way moby/sys/mount's {@code parseOptions} does:
 * known words become mount(2) flags, everything else is the filesystem's data string.
 *
 * @param flags mount(2) flags, propagation ones excluded
 * @param propagation MS_SHARED, MS_SLAVE, MS_PRIVATE or MS_UNBINDABLE (possibly with MS_REC), 0 if none
 * @param data what the filesystem parses, e.g. {@code size=64m,mode=1777}
 */
public record MountOptions(long flags, long propagation, String data) {

  public static final long MS_NOEXEC = 8;
  public static final long MS_SYNCHRONOUS = 16;
  public static final long MS_MANDLOCK = 64;
  public static final long MS_DIRSYNC = 128;
  public static final long MS_NOATIME = 1024;
  public static final long MS_NODIRATIME = 2048;
  public static final long MS_UNBINDABLE = 1L << 17;
  public static final long MS_SLAVE = 1L << 19;
  public static final long MS_SHARED = 1L << 20;
  public static final long MS_RELATIME = 1L << 21;
  public static final long MS_STRICTATIME = 1L << 24;
  private static final long PROPAGATION = MS_UNBINDABLE | MS_SLAVE | MS_SHARED | Mounts.MS_PRIVATE;

  private record Flag(boolean clear, long flag) {}

  private static final Map<String, Flag> FLAGS = Map.ofEntries(
      Map.entry("defaults", new Flag(false, 0)),
      Map.entry("ro", new Flag(false, Mounts.MS_RDONLY)),
      Map.entry("rw", new Flag(true, Mounts.MS_RDONLY)),
      Map.entry("suid", new Flag(true, Mounts.MS_NOSUID)),
      Map.entry("nosuid", new Flag(false, Mounts.MS_NOSUID)),
      Map.entry("dev", new Flag(true, Mounts.MS_NODEV)),
      Map.entry("nodev", new Flag(false, Mounts.MS_NODEV)),
      Map.entry("exec", new Flag(true, MS_NOEXEC)),
      Map.entry("noexec", new Flag(false, MS_NOEXEC)),
      Map.entry("sync", new Flag(false, MS_SYNCHRONOUS)),
      Map.entry("async", new Flag(true, MS_SYNCHRONOUS)),
      Map.entry("dirsync", new Flag(false, MS_DIRSYNC)),
      Map.entry("remount", new Flag(false, Mounts.MS_REMOUNT)),
      Map.entry("mand", new Flag(false, MS_MANDLOCK)),
      Map.entry("nomand", new Flag(true, MS_MANDLOCK)),
      Map.entry("atime", new Flag(true, MS_NOATIME)),
      Map.entry("noatime", new Flag(false, MS_NOATIME)),
      Map.entry("diratime", new Flag(true, MS_NODIRATIME)),
      Map.entry("nodiratime", new Flag(false, MS_NODIRATIME)),
      Map.entry("bind", new Flag(false, Mounts.MS_BIND)),
      Map.entry("rbind", new Flag(false, Mounts.MS_BIND | Mounts.MS_REC)),
      Map.entry("unbindable", new Flag(false, MS_UNBINDABLE)),
      Map.entry("runbindable", new Flag(false, MS_UNBINDABLE | Mounts.MS_REC)),
      Map.entry("private", new Flag(false, Mounts.MS_PRIVATE)),
      Map.entry("rprivate", new Flag(false, Mounts.MS_PRIVATE | Mounts.MS_REC)),
      Map.entry("shared", new Flag(false, MS_SHARED)),
      Map.entry("rshared", new Flag(false, MS_SHARED | Mounts.MS_REC)),
      Map.entry("slave", new Flag(false, MS_SLAVE)),
      Map.entry("rslave", new Flag(false, MS_SLAVE | Mounts.MS_REC)),
      Map.entry("relatime", new Flag(false, MS_RELATIME)),
      Map.entry("norelatime", new Flag(true, MS_RELATIME)),
      Map.entry("strictatime", new Flag(false, MS_STRICTATIME)),
      Map.entry("nostrictatime", new Flag(true, MS_STRICTATIME)));

  public static MountOptions parse(String options) {
    long flags = 0;
    var data = new ArrayList<String>();
    for (String o : options == null ? new String[0] : options.split(",")) {
      if (o.isEmpty()) {
        continue;
      }
      Flag f = FLAGS.get(o);
      if (f == null) {
        data.add(o);
      } else if (f.clear()) {
        flags &= ~f.flag();
      } else {
        flags |= f.flag();
      }
    }
    long propagation = flags & (PROPAGATION | Mounts.MS_REC);
    if ((flags & PROPAGATION) == 0) {
      propagation = 0;
    } else {
      flags &= ~PROPAGATION;
      // MS_REC belongs to the propagation change unless it came with a bind.
      if ((flags & Mounts.MS_BIND) == 0) {
        flags &= ~Mounts.MS_REC;
      }
    }
    return new MountOptions(flags, propagation, String.join(",", data));
  }

  /**
   * Mounts as moby/sys/mount {@code Mount} does: the mount, then the propagation change, then a
   * read-only remount for a read-only bind (a bind ignores MS_RDONLY on the first call).
   */
  public void mount(String device, java.nio.file.Path target, String type) {
    Mounts.mount(device, target, type, flags, data.isEmpty() ? null : data);
    if (propagation != 0) {
      Mounts.mount("", target, null, propagation, null);
    }
    if ((flags & Mounts.MS_BIND) != 0 && (flags & Mounts.MS_RDONLY) != 0) {
      Mounts.mount("", target, null, Mounts.MS_BIND | Mounts.MS_REMOUNT | Mounts.MS_RDONLY, null);
    }
  }

  private static final java.util.Set<String> TMPFS_DATA = java.util.Set.of("size", "mode", "uid", "gid", "nr_inodes",
      "nr_blocks", "mpol");

  /**
   * moby/sys/mount {@code MergeTmpfsOptions}: later options win over earlier ones of the same
   * flag (exec over noexec, one propagation) or the same key ({@code size=}); order is kept.
   *
   * @throws IllegalArgumentException {@code invalid tmpfs option ["x"]} for an unknown word
   */
  public static List<String> mergeTmpfs(List<String> options) {
    var flagsSeen = new java.util.HashSet<Long>();
    var keysSeen = new java.util.HashSet<String>();
    var out = new java.util.ArrayDeque<String>();
    for (String o : options.reversed()) {
      if (o.equals("defaults")) {
        continue;
      }
      Flag f = FLAGS.get(o);
      if (f != null && f.flag() != 0) {
        long key = (f.flag() & PROPAGATION) != 0 ? -1 : f.flag();
        if (flagsSeen.add(key)) {
          out.addFirst(o);
        }
        continue;
      }
      String[] kv = o.split("=", 2);
      if (kv.length != 2 || !TMPFS_DATA.contains(kv[0])) {
        String quoted = java.util.Arrays.stream(kv).map(x -> "\"" + x + "\"")
            .collect(java.util.stream.Collectors.joining(" "));
        throw new IllegalArgumentException("invalid tmpfs option [" + quoted + "]");
      }
      if (keysSeen.add(kv[0])) {
        out.addFirst(o);
      }
    }
    return List.copyOf(out);
  }

  /** Options as a list, e.g. for an OCI mount entry. */
  public static List<String> split(String options) {
    var out = new ArrayList<String>();
    for (String o : options.split(",")) {
      if (!o.isEmpty()) {
        out.add(o);
      }
    }
    return out;
  }
}
