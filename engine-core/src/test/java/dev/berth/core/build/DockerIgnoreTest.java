package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DockerIgnoreTest {

  @Test
  void goMatchSyntax() {
    var ig = DockerIgnore.parse("*.log\nsecret?.txt\n[ab].md\n");
    assertTrue(ig.excludes("x.log"));
    assertFalse(ig.excludes("dir/x.log"));
    assertTrue(ig.excludes("secret1.txt"));
    assertFalse(ig.excludes("secret12.txt"));
    assertTrue(ig.excludes("a.md"));
    assertFalse(ig.excludes("c.md"));
  }

  @Test
  void doubleStarMatchesAnyDepth() {
    var ig = DockerIgnore.parse("**/*.log\nbuild/**\n");
    assertTrue(ig.excludes("x.log"));
    assertTrue(ig.excludes("a/b/c.log"));
    assertTrue(ig.excludes("build/x/y"));
    assertFalse(ig.excludes("src/x.txt"));
  }

  @Test
  void exceptionsAndParentsLastMatchWins() {
    var ig = DockerIgnore.parse("# comment\n\n*.log\n!keep.log\nnode_modules\n/abs/path\n");
    assertTrue(ig.excludes("a.log"));
    assertFalse(ig.excludes("keep.log"));
    assertTrue(ig.excludes("node_modules/pkg/index.js"), "a parent that matches excludes its files");
    assertTrue(ig.excludes("abs/path"), "a leading slash is the context's root");
    assertFalse(ig.excludes("Dockerfile"));
  }

  @Test
  void patternsAreCleaned() {
    var ig = DockerIgnore.parse("./a/../b\n");
    assertTrue(ig.excludes("b"));
    assertTrue(ig.excludes("./b/c"));
  }
}
