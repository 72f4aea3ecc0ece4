package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10: flock(2) locks conflict between open files, even within one process. */
class LockFileTest {

  @TempDir
  Path tmp;

  @Test
  void aHeldFileCannotBeTakenUntilReleased() throws IOException {
    Path file = tmp.resolve("berth.pid");
    try (LockFile first = LockFile.tryAcquire(file).orElseThrow()) {
      assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertTrue(LockFile.tryAcquire(file).isEmpty());
      first.release(true);
      assertFalse(Files.exists(file), "the holder removed it");
      LockFile.tryAcquire(file).orElseThrow().close();
    }
  }

  @Test
  void aStaleFileIsTakenOver() throws IOException {
    Path file = tmp.resolve("berth.lock");
    Files.writeString(file, "999999");
    try (LockFile lock = LockFile.tryAcquire(file).orElseThrow()) {
      assertEquals(file, lock.path());
    }
  }

  @Test
  void releasingWithRemovalSparesAFileThatReplacedOurs() throws IOException {
    Path file = tmp.resolve("berth.pid");
    LockFile ours = LockFile.tryAcquire(file).orElseThrow();
    Files.delete(file);
    try (LockFile theirs = LockFile.tryAcquire(file).orElseThrow()) {
      ours.release(true);
      assertTrue(Files.exists(file), "only our own file is removed");
      assertTrue(LockFile.tryAcquire(file).isEmpty(), "theirs is still held");
    }
  }
}
