package dev.berth.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Unix st_mode to Go's os.FileMode, as X-Docker-Container-Path-Stat carries it. */
class FileModeTest {

  @Test
  void typesMoveToTheirOwnHighBits() {
    assertEquals(FileMode.DIR | 0755, FileMode.of(040755));
    assertEquals(FileMode.SYMLINK | 0777, FileMode.of(0120777));
    assertEquals(0644, FileMode.of(0100644));
    assertEquals(FileMode.DEVICE | FileMode.CHAR_DEVICE | 0666, FileMode.of(020666));
    assertEquals(FileMode.DEVICE | 0660, FileMode.of(060660));
    assertEquals(FileMode.NAMED_PIPE | 0600, FileMode.of(010600));
    assertEquals(FileMode.SOCKET | 0755, FileMode.of(0140755));
  }

  @Test
  void setuidSetgidAndStickyMoveHighToo() {
    assertEquals(FileMode.SETUID | 0755, FileMode.of(0104755));
    assertEquals(FileMode.SETGID | 0755, FileMode.of(0102755));
    assertEquals(FileMode.DIR | FileMode.STICKY | 0777, FileMode.of(041777));
    assertEquals(2147484141L, FileMode.of(040755), "dockerd's number for a 0755 directory");
  }
}
