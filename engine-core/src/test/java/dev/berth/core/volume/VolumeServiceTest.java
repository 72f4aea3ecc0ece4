package dev.berth.core.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.prune.PruneFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes of the local driver over the in-memory repository, with references given by a fake. */
class VolumeServiceTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir
  Path tmp;
  private final Map<String, List<String>> refs = new HashMap<>();
  private final Map<String, List<String>> running = new HashMap<>();
  private InMemoryVolumeRepository repo;
  private int referenceReads;
  private VolumeService volumes;
  private EnginePaths paths;

  @BeforeEach
  void setUp() {
    paths = new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth");
    repo = new InMemoryVolumeRepository();
    volumes = new VolumeService(paths, repo, new VolumeUsage() {
      @Override
      public Map<String, List<String>> references() {
        referenceReads++;
        return Map.copyOf(refs);
      }

      @Override
      public Map<String, List<String>> running() {
        return Map.copyOf(running);
      }
    }, Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(1), bus);
  }

  private final dev.berth.core.events.EventBus bus = new dev.berth.core.events.EventBus(Clock.fixed(T0, ZoneOffset.UTC));

  @Test
  void aContainerWithoutAnonymousVolumesCostsNoLookAtTheOthers() {
    volumes.removeIfUnused(List.of());
    assertEquals(0, referenceReads, "references() reads every container");
  }

  @Test
  void createAndRemovePublishVolumeEventsOnce() throws InterruptedException {
    try (var events = bus.subscribe(T0.minusSeconds(1))) {
      volumes.create("evented", "local", Map.of(), Map.of());
      volumes.create("evented", "local", Map.of(), Map.of());
      volumes.remove("evented", false);
      var created = events.next(1000);
      assertEquals("create evented", created.action() + " " + created.actorId());
      assertEquals("local", created.attributes().get("driver"));
      var destroyed = events.next(1000);
      assertEquals("destroy evented", destroyed.action() + " " + destroyed.actorId());
      assertEquals(null, events.next(50), "the second create found the volume and published nothing");
    }
  }

  @Test
  void createMakesTheDataDirectoryAndReturnsTheExistingVolumeNextTime() {
    Volume v = volumes.create("data", "local", Map.of(), Map.of("k", "v"));
    assertEquals(T0, v.createdAt());
    assertTrue(Files.isDirectory(paths.volumes().resolve("data/_data")));

    Volume again = volumes.create("data", "", Map.of(), Map.of("other", "x"));
    assertEquals(v, again, "dockerd returns the existing volume");
  }

  @Test
  void anonymousVolumesGetA64HexNameAndTheAnonymousLabel() {
    Volume v = volumes.create("", null, null, null);
    assertTrue(v.name().value().matches("[0-9a-f]{64}"));
    assertTrue(v.anonymous());
    assertEquals("", v.labels().get(Volume.ANONYMOUS_LABEL));
  }

  @Test
  void namesFollowDockersRuleAndWording() {
    assertEquals("create a: volume name is too short, names should be at least two alphanumeric characters",
        assertThrows(InvalidArgumentException.class, () -> volumes.create("a", "", null, null)).getMessage());
    assertEquals("create ../x: \"../x\" includes invalid characters for a local volume name, only "
        + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. If you intended to pass a host directory, use absolute path",
        assertThrows(InvalidArgumentException.class, () -> volumes.create("../x", "", null, null)).getMessage());
    assertThrows(InvalidArgumentException.class, () -> volumes.create(".hidden", "", null, null));
    assertFalse(Files.exists(paths.volumes().resolve("x")));
  }

  @Test
  void onlyTheLocalDriverExists() {
    assertEquals("create v1: error looking up volume plugin nfs: plugin \"nfs\" not found",
        assertThrows(NotFoundException.class, () -> volumes.create("v1", "nfs", null, null)).getMessage());
  }

  @Test
  void localOptionsAreCheckedAsMobyChecksThem() {
    assertEquals("create v1: invalid option: \"bogus\"",
        assertThrows(InvalidArgumentException.class, () -> volumes.create("v1", "local", Map.of("bogus", "1"), null))
            .getMessage());
    assertEquals("create v1: missing required option: \"device\"",
        assertThrows(InvalidArgumentException.class, () -> volumes.create("v1", "local", Map.of("type", "tmpfs"),
            null)).getMessage());
    assertEquals("create v1: quota size requested but no quota support",
        assertThrows(InvalidArgumentException.class, () -> volumes.create("v1", "local", Map.of("size", "1g"), null))
            .getMessage());
    Volume v = volumes.create("v1", "local", Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m"), null);
    assertTrue(v.options().needsMount());
  }

  @Test
  void getOfAMissingVolumeIsDockersNotFound() {
    assertEquals("get nope: no such volume",
        assertThrows(NotFoundException.class, () -> volumes.get("nope")).getMessage());
  }

  @Test
  void listFiltersByRegexNameLabelDanglingAndDriver() {
    volumes.create("web-data", "", null, Map.of("app", "web"));
    volumes.create("db-data", "", null, Map.of("app", "db", "tier", "back"));
    volumes.create("cache", "", null, null);
    refs.put("db-data", List.of("c1"));

    assertEquals(List.of("db-data", "web-data"), names(new VolumeFilter(List.of("data$"), List.of(), null, List.of())));
    assertEquals(List.of("db-data"), names(new VolumeFilter(List.of(), List.of("app=db"), null, List.of())));
    assertEquals(List.of("db-data", "web-data"), names(new VolumeFilter(List.of(), List.of("app"), null, List.of())));
    assertEquals(List.of("cache", "web-data"), names(new VolumeFilter(List.of(), List.of(), true, List.of())));
    assertEquals(List.of("db-data"), names(new VolumeFilter(List.of(), List.of(), false, List.of())));
    assertEquals(List.of(), names(new VolumeFilter(List.of(), List.of(), null, List.of("nfs"))));
  }

  @Test
  void removeRefusesAVolumeInUseEvenWhenForcedAndDeletesItsData() throws IOException {
    volumes.create("data", "", null, null);
    Files.writeString(volumes.dataDir(new VolumeName("data")).resolve("f"), "x");
    refs.put("data", List.of("aaa", "bbb"));

    assertEquals("remove data: volume is in use - [aaa, bbb]",
        assertThrows(ConflictException.class, () -> volumes.remove("data", true)).getMessage());

    refs.clear();
    volumes.remove("data", false);
    assertFalse(Files.exists(paths.volumes().resolve("data")));
    assertTrue(repo.list().isEmpty());
    assertThrows(NotFoundException.class, () -> volumes.remove("data", false));
    volumes.remove("data", true);
  }

  @Test
  void pruneTakesUnusedAnonymousVolumesOrAllWithoutOptions() throws IOException {
    Volume anon = volumes.create("", "", null, null);
    Files.writeString(volumes.dataDir(anon.name()).resolve("f"), "12345");
    volumes.create("named", "", null, Map.of("keep", "no"));
    volumes.create("used", "", null, null);
    volumes.create("mounted", "local", Map.of("type", "tmpfs", "device", "tmpfs"), null);
    refs.put("used", List.of("c"));

    var first = volumes.prune(PruneFilter.NONE, false);
    assertEquals(List.of(anon.name().value()), first.deleted());
    assertEquals(5, first.spaceReclaimed());

    var second = volumes.prune(new PruneFilter(List.of(), List.of("keep=no"), null), true);
    assertEquals(List.of(), second.deleted(), "label! excludes it");
    var third = volumes.prune(PruneFilter.NONE, true);
    assertEquals(List.of("named"), third.deleted());
    assertEquals(List.of("mounted", "used"), names(VolumeFilter.NONE));
  }

  @Test
  void populateCopiesIntoAnEmptyVolumeOnlyWithOwnerModeAndLinks() throws IOException {
    Path source = Files.createDirectories(tmp.resolve("image/var/lib/db"));
    Files.writeString(source.resolve("a.txt"), "aaa");
    Files.createDirectory(source.resolve("sub"));
    Files.createSymbolicLink(source.resolve("link"), Path.of("/etc/passwd"));
    Files.createLink(source.resolve("hard"), source.resolve("a.txt"));
    Files.setAttribute(source, "unix:mode", 0750);
    Files.setAttribute(source, "unix:uid", 999);
    volumes.create("db", "", null, null);
    VolumeName db = new VolumeName("db");

    volumes.populate(db, source, "c1");

    Path data = volumes.dataDir(db);
    assertEquals("aaa", Files.readString(data.resolve("a.txt")));
    assertTrue(Files.isDirectory(data.resolve("sub")));
    assertEquals(Path.of("/etc/passwd"), Files.readSymbolicLink(data.resolve("link")));
    assertEquals(Files.getAttribute(data.resolve("a.txt"), "unix:ino"), Files.getAttribute(data.resolve("hard"),
        "unix:ino"));
    assertEquals(0750, (int) Files.getAttribute(data, "unix:mode") & 07777);
    assertEquals(999, Files.getAttribute(data, "unix:uid"));

    Files.writeString(source.resolve("later.txt"), "no");
    volumes.populate(db, source, "c2");
    assertFalse(Files.exists(data.resolve("later.txt")), "a volume with content is left alone");
  }

  @Test
  void startupRemovesDirectoriesWithoutARowAndRemakesMissingOnes() throws IOException {
    volumes.create("kept", "", null, null);
    Files.createDirectories(paths.volumes().resolve("orphan/_data"));
    Files.createDirectories(paths.volumes().resolve("kept/_populate/half"));
    repo.insert(new Volume(new VolumeName("lost"), "local", Map.of(), LocalOptions.NONE, T0));

    volumes.removeLeftovers();

    assertFalse(Files.exists(paths.volumes().resolve("orphan")));
    assertFalse(Files.exists(paths.volumes().resolve("kept/_populate")));
    assertTrue(Files.isDirectory(paths.volumes().resolve("lost/_data")));
  }

  private List<String> names(VolumeFilter f) {
    return volumes.list(f).stream().map(v -> v.name().value()).toList();
  }
}
