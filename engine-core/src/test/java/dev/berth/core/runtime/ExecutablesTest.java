package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

  @Test
  void onlyAStaticBusyboxServesAsExecsTrampoline(@TempDir Path dir) throws Exception {
    Path busybox = Executables.findStaticBusybox().orElseThrow(
        () -> new AssertionError("no static busybox on the PATH (apt-get install busybox-static)"));
    assertTrue(Executables.isStaticElf(busybox));
    // Any dynamically linked program of the host.
    Path ls = Executables.onPath("ls").orElseThrow();
    assertFalse(Executables.isStaticElf(ls), ls + " is linked dynamically");
    Path script = dir.resolve("script");
    Files.writeString(script, "#!/bin/sh\n");
    assertFalse(Executables.isStaticElf(script));
    assertFalse(Executables.isStaticElf(dir.resolve("missing")));
  }
}
