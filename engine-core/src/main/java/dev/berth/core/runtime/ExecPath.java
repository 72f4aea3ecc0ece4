package dev.berth.core.runtime;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.fs.GoPath;
import dev.berth.core.fs.RootedPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the program of an exec inside the container as runc does before it executes (Go's
 * {@code exec.LookPath} over the process's own PATH), with runc's words when there is none.
 */
final class ExecPath {

  private static final String START_FAILED = "exec failed: unable to start container process: ";
  private static final Set<PosixFilePermission> EXECUTE =
      Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

  private ExecPath() {}

  /**
   * The path to execute, as the container names it: {@code name} itself when it has a slash, else
   * the first match on the PATH in {@code env}.
   *
   * @param root the container's root as the engine sees it ({@code /proc/<init>/root})
   * @throws InvalidArgumentException in runc's words ({@code exec: "x": executable file not found
   *     in $PATH})
   */
  static String resolve(Path root, String name, List<String> env, String cwd) {
    String found = lookUp(root, name, env, cwd);
    String absolute = found.startsWith("/") ? found : GoPath.join(cwd, found);
    if (!executableFormat(RootedPath.resolve(root, absolute))) {
      // What execve says, which the trampoline's shell would instead take as a script of its own.
      throw new InvalidArgumentException(START_FAILED + "exec " + found + ": exec format error");
    }
    return found;
  }

  private static String lookUp(Path root, String name, List<String> env, String cwd) {
    if (name.contains("/")) {
      String absolute = name.startsWith("/") ? name : GoPath.join(cwd, name);
      Optional<String> problem = problem(root, absolute);
      if (problem.isPresent()) {
        throw refused(name, problem.get().replace("%s", name));
      }
      return name;
    }
    for (String dir : searchPath(env).split(":", -1)) {
      String candidate = (dir.isEmpty() ? "." : dir) + "/" + name;
      String absolute = candidate.startsWith("/") ? candidate : GoPath.join(cwd, candidate);
      if (problem(root, absolute).isEmpty()) {
        if (!candidate.startsWith("/")) {
          throw refused(name, "cannot run executable found relative to current directory");
        }
        return candidate;
      }
    }
    throw refused(name, "executable file not found in $PATH");
  }

  private static String searchPath(List<String> env) {
    String path = "";
    for (String entry : env) {
      if (entry.startsWith("PATH=")) {
        path = entry.substring("PATH=".length());
      }
    }
    return path;
  }

  // Go's findExecutable: stat through links, no directories, some execute bit.
  private static Optional<String> problem(Path root, String absolute) {
    Path host = RootedPath.resolve(root, absolute);
    PosixFileAttributes attributes;
    try {
      attributes = Files.readAttributes(host, PosixFileAttributes.class);
    } catch (IOException e) {
      return Optional.of("stat %s: no such file or directory");
    }
    if (attributes.isDirectory()) {
      return Optional.of("is a directory");
    }
    if (attributes.permissions().stream().noneMatch(EXECUTE::contains)) {
      return Optional.of("permission denied");
    }
    return Optional.empty();
  }

  // An ELF binary or a script with an interpreter line: what the kernel executes.
  private static boolean executableFormat(Path file) {
    byte[] head = new byte[4];
    try (var in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, head.length);
      return (n >= 2 && head[0] == '#' && head[1] == '!')
          || (n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F');
    } catch (IOException e) {
      // Unreadable here: let execve decide.
      return true;
    }
  }

  private static InvalidArgumentException refused(String name, String why) {
    return new InvalidArgumentException(START_FAILED + "exec: \"" + name + "\": " + why);
  }
}
