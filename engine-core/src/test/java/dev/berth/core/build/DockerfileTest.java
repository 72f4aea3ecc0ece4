package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileTest {

  @Test
  void continuationsCommentsAndBlankLines() {
    var df = Dockerfile.parse("""
        # a comment
        FROM busybox

        RUN echo a \\
          # a comment inside
            && echo b \\

          && echo c
        """);
    assertEquals(2, df.instructions().size());
    var run = df.instructions().get(1);
    assertEquals("RUN", run.keyword());
    assertEquals("echo a     && echo b   && echo c", run.args());
    assertEquals("RUN echo a     && echo b   && echo c", run.original());
    assertEquals(4, run.line());
    assertEquals(List.of("Empty continuation line found in: RUN echo a     && echo b   && echo c"), df.warnings());
    assertEquals(List.of(), Dockerfile.parse("FROM a\nRUN a \\\n  b\n").warnings());
  }

  @Test
  void escapeDirectiveChangesTheContinuation() {
    var df = Dockerfile.parse("# escape=`\nFROM busybox\nRUN echo a `\n  b\n");
    assertEquals('`', df.escape());
    assertEquals("echo a   b", df.instructions().get(1).args());
    assertEquals("invalid escape token 'x' does not match ` or \\",
        assertThrows(InvalidArgumentException.class, () -> Dockerfile.parse("# escape=x\nFROM a\n")).getMessage());
  }

  @Test
  void aDirectiveAfterAnInstructionIsAComment() {
    var df = Dockerfile.parse("FROM busybox\n# escape=`\nRUN a \\\n b\n");
    assertEquals('\\', df.escape());
    assertEquals("a  b", df.instructions().get(1).args());
  }

  @Test
  void flagsAreSplitOff() {
    var i = Dockerfile.parse("FROM a\nCOPY --from=build --chown=1:2 /a /b\n").instructions().get(1);
    assertEquals(Map.of("from", "build", "chown", "1:2"), i.flags());
    assertEquals("/a /b", i.args());
    assertEquals("dockerfile parse error on line 2: duplicate flag specified: from",
        assertThrows(InvalidArgumentException.class, () -> Dockerfile.parse("FROM a\nCOPY --from=a --from=b x y\n"))
            .getMessage());
  }

  @Test
  void unknownInstructionsEmptyFilesAndHeredocsAreRefused() {
    assertEquals("dockerfile parse error on line 2: unknown instruction: FOO",
        assertThrows(InvalidArgumentException.class, () -> Dockerfile.parse("FROM a\nFOO bar\n")).getMessage());
    assertEquals("file with no instructions",
        assertThrows(InvalidArgumentException.class, () -> Dockerfile.parse("# only\n\n")).getMessage());
    String heredoc = assertThrows(InvalidArgumentException.class,
        () -> Dockerfile.parse("FROM a\nRUN <<EOF\necho hi\nEOF\n")).getMessage();
    assertTrue(heredoc.contains("requires BuildKit"), heredoc);
  }

  @Test
  void jsonAndShellForms() {
    assertEquals(List.of("echo", "hi"), dev.berth.core.image.GoJson.stringArray("[\"echo\", \"hi\"]"));
    assertEquals(null, dev.berth.core.image.GoJson.stringArray("[not json"));
    assertEquals(null, dev.berth.core.image.GoJson.stringArray("echo hi"));
    assertEquals(List.of("a=\"b c\"", "d='e f'"), InstructionArgs.words("a=\"b c\"   d='e f'"));
  }
}
