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
}
