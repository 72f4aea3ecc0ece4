package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SealedCopyTest {

  @Test
  void theCopyHasTheContentAndCannotBeWrittenOrResized() throws Exception {
    byte[] content = "#!/bin/sh\necho sealed\n".getBytes();
    var copy = SealedCopy.of("prog", content);
    try {
      assertEquals(SealedCopy.ALL_SEALS, copy.seals());
      Path view = Path.of("/proc/self/fd/" + copy.fd());
      assertArrayEquals(content, Files.readAllBytes(view));
      // Even root cannot write a memfd sealed against writes.
      assertThrows(ErrnoException.class, () -> Fd.write(copy.fd(), new byte[] {1}));
      assertThrows(java.io.IOException.class, () -> Files.write(view, new byte[] {1}));
    } finally {
      Fd.close(copy.fd());
    }
  }
}
