package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessesTest {

  @Test
  void rootIsTheEffectiveUidZero() throws Exception {
    // The owner of a file this process creates is its effective uid (file system uid, the same here).
    Path probe = Files.createTempFile("berth-uid", "");
    try {
      assertEquals(Integer.valueOf(0).equals(Files.getAttribute(probe, "unix:uid")), Processes.isRoot());
    } finally {
      Files.delete(probe);
    }
  }
}
