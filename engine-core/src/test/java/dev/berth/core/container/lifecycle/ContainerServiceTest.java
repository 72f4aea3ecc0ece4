package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.config.EnginePaths;
import dev.berth.core.container.fs.ContainerMounts;
import dev.berth.core.container.fs.ContainerRootfs;
import dev.berth.core.container.fs.ContainerVolumeUsage;
import dev.berth.core.container.fs.MountParser;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.container.model.ContainerEvents;
import dev.berth.core.container.model.ContainerFilter;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.container.model.InMemoryContainerRepository;
import dev.berth.core.container.model.NameGenerator;
import dev.berth.core.container.model.NamespaceModes;
import dev.berth.core.container.net.ContainerNetwork;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.BlobStore;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.InMemoryImageRepository;
import dev.berth.core.image.LayerStore;
import dev.berth.core.image.Scratch;
import dev.berth.core.volume.InMemoryVolumeRepository;
import dev.berth.core.volume.VolumeService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding (moby {@code GetContainer}'s order), listing and creating, over in-memory repositories. */
class ContainerServiceTest {

  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private static final ImageId BUSYBOX = new ImageId(new Digest("b".repeat(64)));
  private static final ImageId ALPINE = new ImageId(new Digest("a".repeat(64)));

  @TempDir
  Path tmp;
  InMemoryContainerRepository containers;
  InMemoryImageRepository images;
  ContainerService service;
  VolumeService volumes;

  @BeforeEach
  void setUp() {
    containers = new InMemoryContainerRepository();
    images = new InMemoryImageRepository();
    var paths = new EnginePaths(tmp.resolve("data"), tmp.resolve("exec"), "berth");
    var scratch = new Scratch(paths);
    var blobs = new BlobStore(paths, scratch);
    var imageService = new ImageService(images, blobs, new LayerStore(paths, scratch, images, blobs), scratch,
        (id, runningOnly) -> Optional.empty(), Clock.fixed(T0, ZoneOffset.UTC),
        new dev.berth.core.events.EventBus(Clock.fixed(T0, ZoneOffset.UTC)));
    volumes = new VolumeService(paths, new InMemoryVolumeRepository(), new ContainerVolumeUsage(containers),
        Clock.fixed(T0, ZoneOffset.UTC), new SplittableRandom(3),
        new dev.berth.core.events.EventBus(Clock.fixed(T0, ZoneOffset.UTC)));
    service = new ContainerService(containers, imageService, new ContainerRootfs(paths, imageService),
        new ContainerMounts(volumes, new MountParser()), network(paths), new NameGenerator(new SplittableRandom(7)),
        new ContainerEvents(new dev.berth.core.events.EventBus(Clock.fixed(T0, ZoneOffset.UTC))),
        SecurityDefaults.docker(false), Clock.fixed(T0, ZoneOffset.UTC));
  }

  private static ContainerNetwork network(EnginePaths paths) {
    var clock = Clock.fixed(T0, ZoneOffset.UTC);
    var networks = new dev.berth.core.network.NetworkService(new dev.berth.core.network.InMemoryNetworkRepository(),
        id -> List.of(), new dev.berth.core.network.AddressPools(dev.berth.core.network.AddressPools.DEFAULT,
            paths.execRoot().resolve("no-routes")), new dev.berth.core.network.NetworkService.Defaults("berth0", null),
        paths.leases(), new dev.berth.core.events.EventBus(clock), clock);
    networks.ensurePredefined();
    return new ContainerNetwork(paths, networks, new dev.berth.core.network.Cni(paths.execRoot(), paths.cni()),
        new InMemoryContainerRepository(),
        new dev.berth.core.container.fs.ContainerFiles(Path.of("/nonexistent/resolv.conf"), Path.of("/etc/hosts")), false,
        new ContainerEvents(new dev.berth.core.events.EventBus(clock)));
  }

  /** A layerless image with {@code cmd}, tagged {@code tag}. */
  private void image(ImageId id, String tag, List<String> cmd) {
    var run = new ImageRunConfig("", null, List.of("PATH=/bin"), null, cmd, null, "", Map.of(), "", null, null, null,
        null, false);
    images.insert(id, new ImageConfig("amd64", "linux", "", T0, "", "", "", run, List.of(), List.of()), 0, T0);
    images.tag(ImageReference.parse(tag).withDefaultTag(), id, T0);
  }

  private static String hex(String start) {
    return start + "0".repeat(64 - start.length());
  }

  private Container put(String idStart, String name, ContainerState state, int age, ImageId image) {
    var config = new ContainerConfig("busybox", null, List.of("sh"), null, null, null, null, null, null, false, false,
        false, false, false, false, null, null, null, null, null, null, null, false);
    var c = new Container(new ContainerId(hex(idStart)), new ContainerName(name), T0.minusSeconds(age), image, config,
        HostConfig.DEFAULT, state, 0);
    containers.insert(c);
    return c;
  }

  private Container running(String idStart, String name, int age) {
    return put(idStart, name, new ContainerState.Running(10, 9, 1, T0), age, BUSYBOX);
  }

  private Container exited(String idStart, String name, int age) {
    return put(idStart, name, new ContainerState.Exited(0, T0, T0, "", false, false), age, BUSYBOX);
  }

  private static ContainerFilter filter(boolean all, int limit) {
    return new ContainerFilter(all, limit, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  private List<String> names(ContainerFilter f) {
    return service.list(f).stream().map(c -> c.name().value()).toList();
  }

  // ---- find

  @Test
  void findsByFullId() {
    Container c = running("abc", "web", 0);
    assertEquals(c, service.find(hex("abc")));
  }

  @Test
  void findsByNameWithOrWithoutTheSlash() {
    Container c = running("abc", "web", 0);
    assertEquals(c, service.find("web"));
    assertEquals(c, service.find("/web"));
  }

  @Test
  void findsByUniqueIdPrefix() {
    Container c = running("abc", "web", 0);
    running("def", "db", 0);
    assertEquals(c, service.find("a"));
    assertEquals(c, service.find("abc000000000"));
  }

  @Test
  void ambiguousPrefixIsABadRequest() {
    running("abc1", "one", 0);
    running("abc2", "two", 0);
    var e = assertThrows(InvalidArgumentException.class, () -> service.find("abc"));
    assertEquals("multiple IDs found with provided prefix: abc", e.getMessage());
  }

  @Test
  void unknownIsNotFoundWithDockersWording() {
    running("abc", "web", 0);
    assertEquals("No such container: x", assertThrows(NotFoundException.class, () -> service.find("x")).getMessage());
    assertEquals("No such container: ffff", assertThrows(NotFoundException.class, () -> service.find("ffff")).getMessage());
    assertEquals("No such container: /db",
        assertThrows(NotFoundException.class, () -> service.find("/db")).getMessage());
    String absent = hex("f");
    assertEquals("No such container: " + absent,
        assertThrows(NotFoundException.class, () -> service.find(absent)).getMessage());
  }

  @Test
  void exactNameWinsOverAnIdPrefix() {
    running("abc123", "other", 0);
    Container named = running("def", "abc123", 0);
    assertEquals(named, service.find("abc123"));
  }

  @Test
  void fullIdWinsOverAName() {
    Container byId = running("abc", "web", 0);
    running("def", hex("abc"), 0);
    assertEquals(byId, service.find(hex("abc")));
  }

  @Test
  void findOptionalIsEmptyForNothingOrUnknown() {
    assertTrue(service.findOptional(null).isEmpty());
    assertTrue(service.findOptional("").isEmpty());
    assertTrue(service.findOptional("nope").isEmpty());
  }

  // ---- list

  @Test
  void listShowsRunningContainersUnlessAllIsAsked() {
    running("aa", "up", 0);
    exited("bb", "down", 1);
    assertEquals(List.of("up"), names(filter(false, 0)));
    assertEquals(List.of("up", "down"), names(filter(true, 0)));
  }

  @Test
  void listIsNewestFirstAndLimited() {
    exited("aa", "oldest", 30);
    running("bb", "newest", 10);
    exited("cc", "middle", 20);
    assertEquals(List.of("newest", "middle", "oldest"), names(filter(true, 0)));
    assertEquals(List.of("newest", "middle"), names(filter(true, 2)));
    assertEquals(List.of("newest", "middle", "oldest"), names(filter(true, 5)));
    assertEquals(List.of("newest", "middle", "oldest"), names(filter(true, -1)));
  }

  @Test
  void listLimitAppliesAfterFiltering() {
    exited("aa", "web-old", 30);
    running("bb", "db", 10);
    exited("cc", "web-new", 20);
    var f = new ContainerFilter(true, 1, List.of(), List.of("web"), List.of(), List.of(), List.of(), List.of());
    assertEquals(List.of("web-new"), names(f));
  }

  @Test
  void listFiltersByAncestorThroughTheImageService() {
    image(BUSYBOX, "busybox", List.of("sh"));
    image(ALPINE, "alpine:3", List.of("sh"));
    put("aa", "on-busybox", ContainerState.Created.FRESH, 0, BUSYBOX);
    put("bb", "on-alpine", ContainerState.Created.FRESH, 1, ALPINE);
    var f = new ContainerFilter(true, 0, List.of(), List.of(), List.of(), List.of(), List.of("busybox:latest"),
        List.of());
    assertEquals(List.of("on-busybox"), names(f));
    var byId = new ContainerFilter(true, 0, List.of(), List.of(), List.of(), List.of(), List.of(ALPINE.toString()),
        List.of());
    assertEquals(List.of("on-alpine"), names(byId));
    var unknown = new ContainerFilter(true, 0, List.of(), List.of(), List.of(), List.of(), List.of("nginx"), List.of());
    assertEquals(List.of(), names(unknown));
  }

  // ---- create

  private static ContainerCreateRequest request(String name, List<String> entrypoint, List<String> cmd) {
    var config = new ContainerConfig("busybox", entrypoint, cmd, null, null, null, null, null, null, false, false,
        false, false, false, false, null, null, null, null, null, null, null, false);
    return new ContainerCreateRequest(name, config, HostConfig.DEFAULT);
  }

  @Test
  void createMergesTheImageAndRecordsDefaultAsBridge() {
    image(BUSYBOX, "busybox", List.of("sh"));
    Container c = service.create(request("web", null, null)).container();
    assertEquals(List.of("sh"), c.config().argv());
    assertEquals(List.of("PATH=/bin"), c.config().env());
    assertEquals(c.id().shortId(), c.config().hostname());
    assertEquals("bridge", c.hostConfig().networkMode());
    assertEquals(ContainerState.Created.FRESH, c.state());
    assertEquals(BUSYBOX, c.imageId());
    assertEquals(c, service.find("web"));
  }

  @Test
  void createOfAMissingImageIsNotFoundSoTheCliPulls() {
    var e = assertThrows(NotFoundException.class, () -> service.create(request("web", null, null)));
    assertEquals("No such image: busybox:latest", e.getMessage());
  }

  @Test
  void createWithNothingToRunIsRefused() {
    image(BUSYBOX, "busybox", List.of("sh"));
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(request("web", List.of(""), null)));
    assertEquals("no command specified", e.getMessage());
  }

  @Test
  void createWithATakenNameIsAConflictWithDockersSentence() {
    image(BUSYBOX, "busybox", List.of("sh"));
    Container first = service.create(request("/web", null, null)).container();
    var e = assertThrows(ConflictException.class, () -> service.create(request("web", null, null)));
    assertEquals("Conflict. The container name \"/web\" is already in use by container \"" + first.id().hex()
        + "\". You have to remove (or rename) that container to be able to reuse that name.", e.getMessage());
  }

  @Test
  void createWithoutANameGeneratesOne() {
    image(BUSYBOX, "busybox", List.of("sh"));
    Container a = service.create(request(null, null, null)).container();
    Container b = service.create(request("", null, null)).container();
    assertTrue(a.name().value().matches("[a-z]+_[a-z]+\\d?"), a.name().value());
    assertNotEquals(a.name(), b.name());
  }

  // ---- issue 11: namespace modes

  private ContainerCreateRequest withNamespaces(String hostname, NamespaceModes n) {
    var config = new ContainerConfig("busybox", null, null, null, null, null, hostname, null, null, false, false,
        false, false, false, false, null, null, null, null, null, null, null, false);
    return new ContainerCreateRequest("joiner", config, HostConfig.DEFAULT.withNamespaces(n));
  }

  @Test
  void createRecordsTheDefaultIpcModeAndNamesSharedContainersById() {
    image(BUSYBOX, "busybox", List.of("sh"));
    // A prefix long enough that the random ID of "plain" never shares it.
    Container donor = running("d0d0d0d0d0d0", "donor", 5);
    assertEquals("private", service.create(request("plain", null, null)).container().hostConfig().namespaces().ipcMode());
    Container c = service.create(withNamespaces(null,
        new NamespaceModes("container:donor", "container:d0d0d0d0d0d0", null, null, null, null, null))).container();
    assertEquals("container:" + donor.id().hex(), c.hostConfig().namespaces().pidMode());
    assertEquals("container:" + donor.id().hex(), c.hostConfig().namespaces().ipcMode());
  }

  @Test
  void createNamesTheContainerWhoseNetworkNamespaceItSharesById() {
    image(BUSYBOX, "busybox", List.of("sh"));
    Container donor = running("d1", "netdonor", 5);
    var config = new ContainerConfig("busybox", null, null, null, null, null, null, null, null, false, false,
        false, false, false, false, null, null, null, null, null, null, null, false);
    Container c = service.create(new ContainerCreateRequest("netjoiner", config,
        HostConfig.DEFAULT.withNetworkMode("container:netdonor"))).container();
    assertEquals("container:" + donor.id().hex(), c.hostConfig().networkMode());
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(new ContainerCreateRequest("other",
        config, HostConfig.DEFAULT.withNetworkMode("container:ghost"))));
    assertEquals("No such container: ghost", e.getMessage());
  }

  @Test
  void createSharingAMissingContainerIsABadRequestSoTheCliDoesNotPull() {
    image(BUSYBOX, "busybox", List.of("sh"));
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(withNamespaces(null,
        new NamespaceModes(null, "container:ghost", null, null, null, null, null))));
    assertEquals("No such container: ghost", e.getMessage());
  }

  @Test
  void aHostnameInTheHostsUtsNamespaceIsRefused() {
    image(BUSYBOX, "busybox", List.of("sh"));
    var e = assertThrows(InvalidArgumentException.class, () -> service.create(withNamespaces("web",
        new NamespaceModes(null, null, "host", null, null, null, null))));
    assertEquals("conflicting options: hostname and the UTS mode", e.getMessage());
    Container c = service.create(withNamespaces(null, new NamespaceModes(null, null, "host", null, null, null, null))).container();
    assertEquals("host", c.hostConfig().namespaces().utsMode());
  }

  @Test
  void theHostsPidOrIpcNamespaceTurnsLabellingOff() {
    image(BUSYBOX, "busybox", List.of("sh"));
    Container c = service.create(withNamespaces(null, new NamespaceModes("host", null, null, null, null, null, null))).container();
    assertEquals(List.of("label=disable"), c.hostConfig().security().securityOpt());
  }
}
