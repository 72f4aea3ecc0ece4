package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trampoline's script, run by the host's static busybox with the fds an exec gives it. */
class NamespaceExecScriptTest {

  @TempDir
  Path dir;

  private record Run(int exit, String stdout, String stderr) {}

  // fd 3: the gate; 4 and 5: "tasks" files; 6: stands for the trampoline's own fd.
  private Run run(String gate, List<String> command) throws IOException, InterruptedException {
    Files.writeString(dir.resolve("gate"), gate);
    String busybox = Executables.findStaticBusybox().orElseThrow().toString();
    var argv = new java.util.ArrayList<>(List.of("bash", "-c",
        "exec \"$0\" sh -c \"$1\" \"${@:2}\" 3<gate 4>tasks1 5>tasks2 6</dev/null", busybox,
        NamespaceExec.script(2)));
    argv.addAll(command);
    Process p = new ProcessBuilder(argv).directory(dir.toFile()).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out, err);
  }

  @Test
  void onceLetGoItJoinsItsCgroupsClosesEveryFdButStdioAndBecomesTheCommand() throws Exception {
    var r = run("\n", List.of("my-name", "/bin/sh", "-c", "echo $0; ls /proc/self/fd | sort -n | tr '\\n' ' '"));
    assertEquals(new Run(0, "my-name\n0 1 2 3 ", ""), r, "fd 3 is ls's own directory");
    assertEquals("0\n", Files.readString(dir.resolve("tasks1")));
    assertEquals("0\n", Files.readString(dir.resolve("tasks2")));
  }

  @Test
  void aGateClosedWithoutALineRunsNothing() throws Exception {
    var r = run("", List.of("touch", "/bin/touch", dir.resolve("ran").toString()));
    assertEquals(126, r.exit());
    assertTrue(Files.notExists(dir.resolve("ran")));
    assertEquals("", Files.readString(dir.resolve("tasks1")), "no cgroup joined either");
  }

  @Test
  void theFirstArgumentIsOnlyTheCommandsName() throws Exception {
    var r = run("\n", List.of("-x; echo injected", "/bin/echo", "a b", "$HOME"));
    assertEquals(new Run(0, "a b $HOME\n", ""), r);
  }
}
