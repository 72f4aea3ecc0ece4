package dev.berth.core.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Mount option strings as moby/sys/mount splits and merges them. */
class MountOptionsTest {

  @Test
  void flagsAndDataAreSeparated() {
    MountOptions o = MountOptions.parse("size=64m,ro,nosuid,mode=1777");
    assertEquals(Mounts.MS_RDONLY | Mounts.MS_NOSUID, o.flags());
    assertEquals("size=64m,mode=1777", o.data());
    assertEquals(0, o.propagation());
  }

  @Test
  void laterWordsClearEarlierFlagsAndPropagationIsKeptApart() {
    MountOptions o = MountOptions.parse("ro,rw,rbind,rshared");
    assertEquals(Mounts.MS_BIND | Mounts.MS_REC, o.flags());
    assertEquals(MountOptions.MS_SHARED | Mounts.MS_REC, o.propagation());
  }

  @Test
  void tmpfsOptionsMergeWithLaterOnesWinning() {
    assertEquals(List.of("nosuid", "nodev", "rprivate", "exec", "size=2m"), MountOptions.mergeTmpfs(
        List.of("noexec", "nosuid", "nodev", "rprivate", "size=1m", "exec", "size=2m")));
    assertEquals(List.of("noexec", "nosuid", "nodev", "rshared"),
        MountOptions.mergeTmpfs(List.of("noexec", "nosuid", "nodev", "rprivate", "rshared")));
  }

  @Test
  void unknownTmpfsOptionsAreRefusedWithMobysWords() {
    assertEquals("invalid tmpfs option [\"bogus\"]", assertThrows(IllegalArgumentException.class,
        () -> MountOptions.mergeTmpfs(List.of("bogus"))).getMessage());
    assertEquals("invalid tmpfs option [\"nr\" \"5\"]", assertThrows(IllegalArgumentException.class,
        () -> MountOptions.mergeTmpfs(List.of("nr=5"))).getMessage());
  }
}
