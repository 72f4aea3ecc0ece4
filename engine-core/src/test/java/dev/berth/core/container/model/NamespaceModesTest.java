package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Issue 11: each mode is one dockerd accepts, or refused with its words. */
class NamespaceModesTest {

  private static String refusal(String pid, String ipc, String uts, String userns, String cgroup, String isolation,
      Map<String, String> annotations) {
    return assertThrows(InvalidArgumentException.class,
        () -> new NamespaceModes(pid, ipc, uts, userns, cgroup, isolation, annotations)).getMessage();
  }

  @Test
  void dockerdsModesAreAccepted() {
    for (String ipc : new String[] {"", "none", "private", "shareable", "host", "container:web"}) {
      assertEquals(ipc, new NamespaceModes(null, ipc, null, null, null, null, null).ipcMode());
    }
    for (String pid : new String[] {"", "host", "container:web"}) {
      assertEquals(pid, new NamespaceModes(pid, null, null, null, null, null, null).pidMode());
    }
    var n = new NamespaceModes(null, null, "host", "host", "", "Default", Map.of("a", ""));
    assertTrue(n.hostUts());
    assertEquals("Default", n.isolation(), "kept as given");
    assertEquals(NamespaceModes.NONE, new NamespaceModes("", "", "", "", "", "", Map.of()));
  }

  @Test
  void otherValuesAreRefusedWithDockerdsWords() {
    assertEquals("invalid IPC mode: shared", refusal(null, "shared", null, null, null, null, null));
    assertEquals("invalid IPC mode: container:", refusal(null, "container:", null, null, null, null, null));
    assertEquals("invalid PID mode: container:", refusal("container:", null, null, null, null, null, null));
    assertEquals("invalid PID mode: private", refusal("private", null, null, null, null, null, null));
    assertEquals("invalid UTS mode: private", refusal(null, null, "private", null, null, null, null));
    assertEquals("invalid USER mode: private", refusal(null, null, null, "private", null, null, null));
    assertEquals("invalid isolation (hyperv): linux only supports 'default'",
        refusal(null, null, null, null, null, "hyperv", null));
    assertEquals("invalid Annotations: the empty string is not permitted as an annotation key",
        refusal(null, null, null, null, null, null, Map.of("", "x")));
    assertTrue(refusal(null, null, null, null, "container:web", null, null)
        .startsWith("invalid Cgroup (container:web)"));
  }

  @Test
  void containerModesNameTheContainer() {
    var n = new NamespaceModes("container:a", "container:b", null, null, null, null, null);
    assertEquals(Optional.of("a"), n.pidContainer());
    assertEquals(Optional.of("b"), n.ipcContainer());
    var byId = n.withContainers("f".repeat(64), null);
    assertEquals("container:" + "f".repeat(64), byId.pidMode());
    assertEquals("container:b", byId.ipcMode());
    assertEquals("private", NamespaceModes.NONE.effectiveIpcMode(), "a record from before issue 11 ran private");
  }
}
