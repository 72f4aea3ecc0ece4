package dev.berth.core.container.fs;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.RootedPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A container user resolved against the image's /etc/passwd and /etc/group, the way runc resolves
 * {@code user[:group]}: names are looked up, numbers need not exist, a missing name is an error.
 */
public record ExecUser(int uid, int gid, List<Integer> additionalGids, String home) {

  public ExecUser {
    additionalGids = List.copyOf(additionalGids);
  }

  private record Passwd(String name, int uid, int gid, String home) {}

  private record Group(String name, int gid, List<String> members) {}

  /** Resolves {@code spec} ({@code ""}, {@code name}, {@code uid}, {@code x:y}) inside {@code rootfs}. */
  public static ExecUser resolve(Path rootfs, String spec) {
    try (RootedPath tree = RootedPath.open(rootfs)) {
      return resolve(tree, spec);
    }
  }

  /** Resolves {@code spec} against the passwd and group files of a container's tree. */
  public static ExecUser resolve(RootedPath rootfs, String spec) {
    String userPart = spec;
    String groupPart = null;
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      userPart = spec.substring(0, colon);
      groupPart = spec.substring(colon + 1);
    }
    List<Passwd> passwd = readPasswd(rootfs);
    List<Group> groups = readGroups(rootfs);

    Passwd who;
    if (userPart.isEmpty()) {
      // runc's defaults when passwd has no uid 0: HOME=/ and no name, so no supplementary groups.
      who = passwd.stream().filter(p -> p.uid == 0).findFirst().orElse(new Passwd(null, 0, 0, "/"));
    } else if (isNumber(userPart)) {
      int uid = Integer.parseInt(userPart);
      who = passwd.stream().filter(p -> p.uid == uid).findFirst().orElse(new Passwd(null, uid, 0, "/"));
    } else {
      String name = userPart;
      who = passwd.stream().filter(p -> name.equals(p.name)).findFirst().orElseThrow(() ->
          new InvalidArgumentException("unable to find user " + name + ": no matching entries in passwd file"));
    }

    int gid = who.gid;
    var extra = new ArrayList<Integer>();
    if (groupPart != null && !groupPart.isEmpty()) {
      String g = groupPart;
      if (isNumber(g)) {
        gid = Integer.parseInt(g);
      } else {
        gid = groups.stream().filter(x -> g.equals(x.name)).findFirst().map(Group::gid).orElseThrow(() ->
            new InvalidArgumentException("unable to find group " + g + ": no matching entries in group file"));
      }
    } else if (who.name != null) {
      for (Group g : groups) {
        if (g.members.contains(who.name) && g.gid != gid && !extra.contains(g.gid)) {
          extra.add(g.gid);
        }
      }
    }
    return new ExecUser(who.uid, gid, extra, who.home == null || who.home.isEmpty() ? "/" : who.home);
  }

  /**
   * The ids of {@code HostConfig.GroupAdd}, as moby/sys/user's GetAdditionalGroups finds them in
   * the container's /etc/group: a name must be there, a number need not be.
   *
   * @throws InvalidArgumentException in its words for a missing name or an id out of range
   */
  public static List<Integer> additionalGroups(Path rootfs, List<String> groupAdd) {
    if (groupAdd.isEmpty()) {
      return List.of();
    }
    try (RootedPath tree = RootedPath.open(rootfs)) {
      return additionalGroups(tree, groupAdd);
    }
  }

  static List<Integer> additionalGroups(RootedPath rootfs, List<String> groupAdd) {
    List<Group> groups = readGroups(rootfs);
    var out = new java.util.LinkedHashSet<Integer>();
    for (String wanted : groupAdd) {
      Long numeric = null;
      if (wanted.matches("[+-]?[0-9]+")) {
        try {
          numeric = Long.parseLong(wanted);
        } catch (NumberFormatException e) {
          numeric = -1L;
        }
        if (numeric < 0 || numeric > Integer.MAX_VALUE) {
          throw new InvalidArgumentException(GID_RANGE);
        }
      }
      Long id = numeric;
      Optional<Group> found = groups.stream()
          .filter(g -> g.name.equals(wanted) || id != null && g.gid == id).findFirst();
      if (found.isPresent()) {
        out.add(found.get().gid);
      } else if (id != null) {
        out.add(id.intValue());
      } else {
        throw new InvalidArgumentException("unable to find group " + wanted + ": no matching entries in group file");
      }
    }
    return List.copyOf(out);
  }

  private static final String GID_RANGE = "uids and gids must be in range 0-2147483647";

  private static List<Passwd> readPasswd(RootedPath rootfs) {
    var out = new ArrayList<Passwd>();
    for (String[] f : fields(rootfs, "/etc/passwd")) {
      if (f.length >= 4 && isNumber(f[2]) && isNumber(f[3])) {
        out.add(new Passwd(f[0], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f.length > 5 ? f[5] : "/"));
      }
    }
    return out;
  }

  private static List<Group> readGroups(RootedPath rootfs) {
    var out = new ArrayList<Group>();
    for (String[] f : fields(rootfs, "/etc/group")) {
      if (f.length >= 3 && isNumber(f[2])) {
        List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
        out.add(new Group(f[0], Integer.parseInt(f[2]), members));
      }
    }
    return out;
  }

  private static List<String[]> fields(RootedPath rootfs, String file) {
    var out = new ArrayList<String[]>();
    // Read through the tree's descriptors: a running container cannot swap /etc for a link to the host's.
    rootfs.read(file).ifPresent(bytes -> {
      for (String line : new String(bytes, StandardCharsets.UTF_8).split("\\R")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.split(":", -1));
        }
      }
    });
    return out;
  }

  private static boolean isNumber(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit) && s.length() < 10;
  }

  /** Whether a {@code NAME=value} list already sets {@code name}. */
  static Optional<String> envValue(List<String> env, String name) {
    for (String e : env) {
      if (e.startsWith(name + "=")) {
        return Optional.of(e.substring(name.length() + 1));
      }
    }
    return Optional.empty();
  }
}
