package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class RuntimeOptionsTest {

  private static String parent(String given) {
    return new RuntimeOptions("", given).absoluteCgroupParent();
  }

  @Test
  void aCgroupParentIsTakenFromTheRootAndCleanedAsGoJoinsPaths() {
    assertEquals("", parent(""));
    assertEquals("/mine", parent("mine"));
    assertEquals("/mine/sub", parent("/mine//sub/"));
    assertEquals("/x", parent("../../x"));
    assertEquals("/a/c", parent("/a/b/../c"));
  }

  @Test
  void theRootCgroupIsNoParent() {
    assertThrows(InvalidArgumentException.class, () -> parent("/"));
    assertThrows(InvalidArgumentException.class, () -> parent("a/.."));
  }
}
