package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecPathTest {

  private static final String REFUSED = "exec failed: unable to start container process: exec: ";

  @TempDir
  Path root;

  @BeforeEach
  void rootfs() throws IOException {
    executable(root.resolve("bin/sh"));
    executable(root.resolve("opt/tool"));
    Files.createDirectories(root.resolve("usr/bin"));
    // Absolute links point into the container's root, never the host's.
    Files.createSymbolicLink(root.resolve("usr/bin/linked"), Path.of("/bin/sh"));
    Files.createDirectories(root.resolve("bin/adir"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
  }

  private static void executable(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private String resolve(String name, String path, String cwd) {
    return ExecPath.resolve(root, name, path == null ? List.of("A=1") : List.of("A=1", "PATH=" + path), cwd);
  }

  @Test
  void namesAreLookedUpOnTheProcesssOwnPathInOrder() {
    assertEquals("/bin/sh", resolve("sh", "/usr/bin:/bin", "/"));
    assertEquals("/usr/bin/linked", resolve("linked", "/usr/bin:/bin", "/"));
    assertEquals("/opt/tool", resolve("tool", "/bin:/opt", "/"));
  }

  @Test
  void directoriesAndFilesWithoutAnExecuteBitAreSkippedOnThePath() {
    var e = assertThrows(InvalidArgumentException.class, () -> resolve("adir", "/bin", "/"));
    assertEquals(REFUSED + "\"adir\": executable file not found in $PATH", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> resolve("passwd", "/etc", "/"));
    assertEquals(REFUSED + "\"passwd\": executable file not found in $PATH", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> resolve("sh", null, "/"));
    assertEquals(REFUSED + "\"sh\": executable file not found in $PATH", e.getMessage());
  }

  @Test
  void aNameWithASlashIsTakenAsItIsRelativeToTheWorkingDirectory() {
    assertEquals("./tool", resolve("./tool", "/bin", "/opt"));
    assertEquals("/bin/sh", resolve("/bin/sh", "/nowhere", "/opt"));
    var e = assertThrows(InvalidArgumentException.class, () -> resolve("/etc/passwd", "/bin", "/"));
    assertEquals(REFUSED + "\"/etc/passwd\": permission denied", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> resolve("/bin/adir", "/bin", "/"));
    assertEquals(REFUSED + "\"/bin/adir\": is a directory", e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> resolve("./sh", "/bin", "/opt"));
    assertEquals(REFUSED + "\"./sh\": stat ./sh: no such file or directory", e.getMessage());
  }

  @Test
  void aFileTheKernelCannotExecuteIsRefusedAsExecveRefusesIt() throws IOException {
    Files.writeString(root.resolve("opt/notes"), "echo this is no script\n");
    Files.setPosixFilePermissions(root.resolve("opt/notes"), PosixFilePermissions.fromString("rwxr-xr-x"));
    var e = assertThrows(InvalidArgumentException.class, () -> resolve("notes", "/opt", "/"));
    assertEquals("exec failed: unable to start container process: exec /opt/notes: exec format error", e.getMessage());
    Files.write(root.resolve("opt/notes"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1});
    assertEquals("/opt/notes", resolve("notes", "/opt", "/"));
  }

  @Test
  void aMatchThroughARelativePathEntryIsRefusedAsGoRefusesIt() {
    var e = assertThrows(InvalidArgumentException.class, () -> resolve("tool", ":/bin", "/opt"));
    assertEquals(REFUSED + "\"tool\": cannot run executable found relative to current directory", e.getMessage());
  }
}
