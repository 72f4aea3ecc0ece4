package dev.berth.core.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GoPathTest {

  @Test
  void cleanDropsEmptyDotAndDotDotComponentsAndNeverGoesAboveRoot() {
    assertEquals("/", GoPath.clean(""));
    assertEquals("/", GoPath.clean("/../.."));
    assertEquals("/a/c", GoPath.clean("//a/./b/../c/"));
    assertEquals("/a", GoPath.clean("a"));
  }

  @Test
  void joinPutsARelativeOrAbsoluteNameUnderTheBase() {
    assertEquals("/w/x", GoPath.join("/w", "x"));
    assertEquals("/w/x", GoPath.join("/w", "/x"));
    assertEquals("/x", GoPath.join("/w", "../x"));
    assertEquals("/", GoPath.join("/", "../../.."));
  }
}
