package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.os.Processes;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that run real containers: one {@link RuntimeHarness} per class, containers
 * deleted after each test. Missing prerequisites fail the tests: a skip would hide a broken host.
 */
abstract class RealContainerTest {

  static RuntimeHarness h;

  @BeforeAll
  static void startHarness() throws IOException {
    assertTrue(Processes.isRoot(), "these tests run containers and need root");
    assertTrue(Executables.onPath("conmon").isPresent(), "these tests need conmon (apt-get install conmon)");
    h = new RuntimeHarness();
  }

  @AfterAll
  static void closeHarness() throws Exception {
    if (h != null) {
      h.close();
      h = null;
    }
  }

  @AfterEach
  void deleteContainers() {
    if (h != null) {
      h.deleteAll();
    }
  }

  /** A process as /proc/PID/stat describes it: its state letter and its parent. */
  record Proc(int pid, String state, int ppid) {}

  /** Every process of the host now; ones that end while being read are left out. */
  static java.util.List<Proc> processes() {
    var out = new java.util.ArrayList<Proc>();
    try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      for (var proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String stat;
        try {
          stat = java.nio.file.Files.readString(proc.resolve("stat"));
        } catch (IOException e) {
          continue;
        }
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.add(new Proc(Integer.parseInt(proc.getFileName().toString()), after[0], Integer.parseInt(after[1])));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }
}
