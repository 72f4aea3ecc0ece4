package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.InMemoryContainerRepository;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.MountType;
import dev.berth.core.container.model.StorageOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.runtime.BindMount;
import dev.berth.core.runtime.RunMount;
import dev.berth.core.runtime.TmpfsMount;
import dev.berth.core.volume.InMemoryVolumeRepository;
import dev.berth.core.volume.VolumeService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a container mounts, in moby's order of precedence, and how a start mounts it. */
class ContainerMountsTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir
  Path tmp;
  private InMemoryContainerRepository containers;
  private VolumeService volumes;
  private ContainerMounts mounts;

  @BeforeEach
  void setUp() throws Exception {
    containers = new InMemoryContainerRepository();
    var paths = new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth");
    volumes = new VolumeService(paths, new InMemoryVolumeRepository(), new ContainerVolumeUsage(containers),
        Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(5),
        new dev.berth.core.events.EventBus(Clock.fixed(T0, ZoneOffset.UTC)));
    mounts = new ContainerMounts(volumes, new MountParser());
    Files.createDirectories(tmp.resolve("host"));
  }

  private static ContainerConfig config(Set<String> volumes) {
    return new ContainerConfig("busybox", null, List.of("sh"), null, null, null, null, null, null, false, false, false,
        false, false, false, null, null, null, volumes, null, null, null, false);
  }

  private static StorageOptions storage(List<String> binds, List<MountRequest> mounts, Map<String, String> tmpfs,
      List<String> from) {
    return new StorageOptions(binds, mounts, tmpfs, from, 0, null);
  }

  private List<MountPoint> plan(Set<String> imageVolumes, StorageOptions s) {
    return mounts.plan(config(imageVolumes), s, ref -> containers.findByName(new ContainerName(ref))
        .orElseThrow(() -> new NotFoundException("No such container: " + ref))).mounts();
  }

  @Test
  void namedVolumesAreCreatedWithModeZAndImageVolumesBecomeAnonymous() {
    List<MountPoint> m = plan(Set.of("/var/lib/db", "/cache"), storage(List.of("data:/var/lib/db"), null, null, null));
    assertEquals(2, m.size());
    MountPoint named = m.getFirst();
    assertEquals("data", named.name());
    assertEquals("z", named.mode());
    assertEquals(volumes.dataDir(new dev.berth.core.volume.VolumeName("data")).toString(), named.source());
    MountPoint anon = m.get(1);
    assertEquals("/cache", anon.destination());
    assertTrue(anon.anonymous());
    assertEquals("", anon.mode());
    assertTrue(volumes.get(anon.name()).anonymous());
  }

  @Test
  void aBindAndATmpfsOnOneDestinationIsADuplicate() {
    assertEquals("Duplicate mount point: /x", assertThrows(InvalidArgumentException.class, () -> plan(Set.of(),
        storage(List.of(tmp.resolve("host") + ":/x"), null, Map.of("/x", ""), null))).getMessage());
    assertEquals("Duplicate mount point: /x", assertThrows(InvalidArgumentException.class, () -> plan(Set.of(),
        storage(List.of("a1:/x"), List.of(new MountRequest("volume", "b1", "/x", false, "", null, null, null)),
            null, null))).getMessage());
  }

  @Test
  void aFailedPlanRemovesTheAnonymousVolumesItMade() {
    assertThrows(InvalidArgumentException.class, () -> plan(Set.of("/cache"),
        storage(List.of("/only/anon"), null, Map.of("rel", ""), null)));
    assertEquals(List.of(), volumes.list(dev.berth.core.volume.VolumeFilter.NONE));
  }

  @Test
  void volumesFromCopiesMountsReadOnlyIfAskedAndTheClientsBindsWin() {
    var from = new Container(new ContainerId("a".repeat(64)), new ContainerName("src"), T0, null, config(Set.of()),
        HostConfig.DEFAULT, ContainerState.Created.FRESH, 0,
        List.of(new MountPoint(MountType.VOLUME, "shared", "/v/shared", "/shared", "local", "z", true, "", false, true,
            false, false, null), new MountPoint(MountType.VOLUME, "other", "/v/other", "/other", "local", "z", true, "",
            false, true, false, false, null)));
    containers.insert(from);
    List<MountPoint> m = plan(Set.of(), storage(List.of("mine:/other"), null, null, List.of("src:ro")));
    assertEquals(List.of("/shared", "/other"), m.stream().map(MountPoint::destination).toList());
    assertFalse(m.getFirst().rw());
    assertEquals("", m.getFirst().mode(), "volumes-from does not carry the mode");
    assertFalse(m.getFirst().copyData());
    assertEquals("mine", m.get(1).name());

    assertEquals("No such container: nope", assertThrows(InvalidArgumentException.class,
        () -> plan(Set.of(), storage(null, null, null, List.of("nope")))).getMessage());
  }

  @Test
  void theRuntimeGetsParentsBeforeChildrenAndMergedTmpfsOptions() {
    var tmpfs = new LinkedHashMap<String, String>();
    tmpfs.put("/a/b/c", "size=1m,exec");
    tmpfs.put("/z", "");
    Path src = tmp.resolve("host/made");
    var c = new Container(new ContainerId("b".repeat(64)), new ContainerName("c1"), T0, null, config(Set.of()),
        HostConfig.DEFAULT.withStorage(storage(null, null, tmpfs, null)), ContainerState.Created.FRESH, 0,
        plan(Set.of(), storage(List.of(src + ":/a/b:ro", "vol:/a"), null, tmpfs, null)));

    List<RunMount> run = mounts.acquire(c);
    assertEquals(List.of("/a", "/z", "/a/b", "/a/b/c"), run.stream().map(RunMount::destination).toList());
    assertTrue(Files.isDirectory(src), "a missing -v source is made");
    assertTrue(((BindMount) run.get(2)).readOnly());
    assertEquals(List.of("nosuid", "nodev", "rprivate", "size=1m", "exec"), ((TmpfsMount) run.get(3)).options());
  }

  @Test
  void aMountSourceThatVanishedFailsTheStartWithDockersWords() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("host/gone"));
    var points = plan(Set.of(), storage(null, List.of(new MountRequest("bind", src.toString(), "/m", false, "", null,
        null, null)), null, null));
    Files.delete(src);
    var c = new Container(new ContainerId("c".repeat(64)), new ContainerName("c1"), T0, null, config(Set.of()),
        HostConfig.DEFAULT, ContainerState.Created.FRESH, 0, points);
    assertEquals("invalid mount config for type \"bind\": bind source path does not exist: " + src,
        assertThrows(InvalidArgumentException.class, () -> mounts.acquire(c)).getMessage());
  }
}
