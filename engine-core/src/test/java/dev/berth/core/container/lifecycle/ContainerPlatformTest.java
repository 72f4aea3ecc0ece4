package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.config.CgroupSupport;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Issue 11: --runtime and --cgroup-parent at create, and what an update may change. */
class ContainerPlatformTest {

  private final ContainerPlatform platform = new ContainerPlatform(CgroupSupport.ALL, "runc",
      Set.of("runc", "io.containerd.runc.v2", "marker"), List.of("/process_api/abc"));

  private static HostConfig host(String runtime, String parent) {
    return HostConfig.DEFAULT.withRuntimeOptions(new RuntimeOptions(runtime, parent));
  }

  @Test
  void aContainerNamingNoRuntimeIsRecordedWithTheDefaultsName() {
    assertEquals("runc", platform.forCreate(host("", "")).hostConfig().runtimeOptions().runtime());
    assertEquals("marker", platform.forCreate(host("marker", "")).hostConfig().runtimeOptions().runtime());
  }

  @Test
  void anUnknownRuntimeIsRefusedInDockerdsWords() {
    var e = assertThrows(InvalidArgumentException.class, () -> platform.forCreate(host("crun", "")));
    assertEquals("unknown or invalid runtime name: crun", e.getMessage());
  }

  @Test
  void aCgroupParentMayNotOverlapTheEnginesOwnCgroups() {
    for (String parent : List.of("/process_api", "process_api/abc", "/process_api/abc/x")) {
      assertThrows(InvalidArgumentException.class, () -> platform.forCreate(host("", parent)), parent);
    }
    assertEquals("/mine", platform.forCreate(host("", "/mine")).hostConfig().runtimeOptions().absoluteCgroupParent());
  }

  @Test
  void anUpdateRefusesWhatRuncUpdateCannotChange() {
    var oom = new Resources(null, null, null, null, null, null, null, null, null, null, true, null, null, null, null,
        null, null, null, null, null, null, null);
    assertEquals("Cannot update OomKillDisable: set at create only (recreate the container to change it)",
        assertThrows(InvalidArgumentException.class, () -> platform.forUpdate(oom)).getMessage());
    assertEquals(List.of(), platform.forUpdate(Resources.memory(64L << 20)).warnings());
  }
}
