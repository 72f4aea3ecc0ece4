package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.InternalServerErrorException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PruneType;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Ulimit;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14: docker-java, the Java ecosystem's Docker client, over berthd's Unix socket with its
 * Apache HttpClient 5 transport. Only the image gets in through the CLI; everything after is
 * docker-java, and what it reads back must parse as dockerd's answers do.
 */
class DockerJavaIT extends WithBerthd {

  private static final String IMAGE = "busybox:latest";
  private static final String LABEL = "dev.berth.it";

  private static DockerClient client;
  private static final List<String> containers = new ArrayList<>();
  private static final List<String> volumes = new ArrayList<>();
  private static final List<String> networks = new ArrayList<>();

  @BeforeAll
  static void connect() {
    Fixtures.importBusybox(docker, IMAGE);
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix://" + daemon.socket)
        .withDockerConfig(daemon.dir.resolve("docker-config").toString())
        .build();
    var http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .connectionTimeout(Duration.ofSeconds(10))
        .responseTimeout(Duration.ofSeconds(30))
        .build();
    client = DockerClientImpl.getInstance(config, http);
  }

  @AfterAll
  static void cleanUp() throws IOException {
    if (client == null) {
      return;
    }
    for (String id : containers) {
      quietly(() -> client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec());
    }
    for (String name : volumes) {
      quietly(() -> client.removeVolumeCmd(name).exec());
    }
    for (String id : networks) {
      quietly(() -> client.removeNetworkCmd(id).exec());
    }
    client.close();
    client = null;
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (NotFoundException e) {
      // already gone
    }
  }

  private static String create(String name, HostConfig host, String... cmd) {
    String id = client.createContainerCmd(IMAGE).withName(name).withCmd(cmd)
        .withLabels(Map.of(LABEL, name)).withHostConfig(host).exec().getId();
    containers.add(id);
    return id;
  }

  /** Waits, as docker-java's wait command does, for the container to end, and gives its exit code. */
  private static int exitCode(String id) {
    return client.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode(30, TimeUnit.SECONDS);
  }

  /** Collects the frames of a log, exec or attach stream by stream. */
  private static final class Output extends ResultCallback.Adapter<Frame> {
    final StringBuffer out = new StringBuffer();
    final StringBuffer err = new StringBuffer();

    @Override
    public void onNext(Frame frame) {
      String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
      (frame.getStreamType() == StreamType.STDERR ? err : out).append(text);
    }
  }

  @Test
  void pingVersionAndInfo() {
    client.pingCmd().exec();
    var version = client.versionCmd().exec();
    assertEquals("1.51", version.getApiVersion());
    assertEquals("linux", version.getOperatingSystem());
    assertNotNull(version.getVersion());
    var info = client.infoCmd().exec();
    assertNotNull(info.getId());
    assertTrue(info.getImages() >= 1, "images: " + info.getImages());
    assertNotNull(info.getDriver());
    assertTrue(info.getMemTotal() > 0, "MemTotal: " + info.getMemTotal());
    var image = client.inspectImageCmd(IMAGE).exec();
    assertTrue(image.getRepoTags().contains(IMAGE), image.getRepoTags().toString());
    assertTrue(client.listImagesCmd().exec().stream().anyMatch(i -> List.of(i.getRepoTags()).contains(IMAGE)));
  }

  @Test
  void aClientPinnedToAnOlderApiVersionIsServed() throws IOException {
    var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost("unix://" + daemon.socket).withApiVersion("1.44")
        .withDockerConfig(daemon.dir.resolve("docker-config").toString()).build();
    var http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build();
    try (DockerClient pinned = DockerClientImpl.getInstance(config, http)) {
      assertEquals("1.51", pinned.versionCmd().exec().getApiVersion());
      assertNotNull(pinned.listContainersCmd().withShowAll(true).exec());
      assertEquals(IMAGE, pinned.inspectImageCmd(IMAGE).exec().getRepoTags().get(0));
    }
  }

  @Test
  void runsAContainerWithHostConfigAndReadsItBack() throws Exception {
    Path shared = Files.createDirectories(daemon.dir.resolve("dj-bind"));
    Files.writeString(shared.resolve("in.txt"), "from the host\n");
    String volume = client.createVolumeCmd().withName("dj-run").exec().getName();
    volumes.add(volume);
    var host = HostConfig.newHostConfig()
        .withMemory(64L << 20)
        .withBinds(new Bind(shared.toString(), new Volume("/host")), new Bind(volume, new Volume("/vol")));
    String id = client.createContainerCmd(IMAGE).withName("dj-run")
        .withCmd("sh", "-c", "cat /host/in.txt; echo $GREETING; echo oops >&2; "
            + "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; "
            + "echo kept > /vol/v; exit 3")
        .withEnv("GREETING=hello docker-java").withLabels(Map.of(LABEL, "run", "role", "worker"))
        .withHostConfig(host).exec().getId();
    containers.add(id);

    client.startContainerCmd(id).exec();
    var logs = client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
        .exec(new Output());
    assertTrue(logs.awaitCompletion(30, TimeUnit.SECONDS), "the log follows until the container ends");
    assertEquals("from the host\nhello docker-java\n" + (64L << 20) + "\n|oops\n", logs.out + "|" + logs.err);
    int code = exitCode(id);
    assertEquals(3, code);

    var inspect = client.inspectContainerCmd(id).exec();
    assertEquals("/dj-run", inspect.getName());
    assertEquals(3L, inspect.getState().getExitCodeLong());
    assertEquals("exited", inspect.getState().getStatus());
    assertFalse(inspect.getState().getRunning());
    assertFalse(Instant.parse(inspect.getState().getFinishedAt())
        .isBefore(Instant.parse(inspect.getState().getStartedAt())));
    assertEquals(64L << 20, inspect.getHostConfig().getMemory());
    assertEquals(List.of(shared + ":/host:rw", volume + ":/vol:rw").toString(),
        List.of(inspect.getHostConfig().getBinds()).toString());
    assertTrue(List.of(inspect.getConfig().getEnv()).contains("GREETING=hello docker-java"));
    assertEquals("worker", inspect.getConfig().getLabels().get("role"));
    assertTrue(inspect.getMounts().stream().anyMatch(m -> "/vol".equals(m.getDestination().getPath())
        && volume.equals(m.getName())), String.valueOf(inspect.getMounts()));

    List<Container> listed = client.listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("role", "worker")).exec();
    assertEquals(List.of(id), listed.stream().map(Container::getId).toList());
    assertEquals("/dj-run", listed.get(0).getNames()[0]);
    assertTrue(client.listContainersCmd().withLabelFilter(Map.of("role", "worker")).exec().isEmpty(),
        "an exited container is listed only with all");

    client.removeContainerCmd(id).exec();
    containers.remove(id);
    assertThrows(NotFoundException.class, () -> client.inspectContainerCmd(id).exec());
  }

  @Test
  void execsAttachesStopsKillsAndRemoves() throws Exception {
    String id = create("dj-exec", HostConfig.newHostConfig(), "sleep", "300");
    client.startContainerCmd(id).exec();
    var running = client.inspectContainerCmd(id).exec().getState();
    assertTrue(running.getRunning());
    // Testcontainers' startup checks read these two as ISO instants, and Docker's zero time as "not finished".
    assertTrue(Instant.parse(running.getStartedAt()).isAfter(Instant.now().minusSeconds(60)));
    assertEquals("0001-01-01T00:00:00Z", running.getFinishedAt());

    String exec = client.execCreateCmd(id).withAttachStdout(true).withAttachStderr(true)
        .withCmd("sh", "-c", "echo out; echo err >&2; exit 7").exec().getId();
    var output = client.execStartCmd(exec).exec(new Output());
    assertTrue(output.awaitCompletion(30, TimeUnit.SECONDS));
    assertEquals("out\n", output.out.toString());
    assertEquals("err\n", output.err.toString());
    var execInspect = client.inspectExecCmd(exec).exec();
    assertEquals(7L, execInspect.getExitCodeLong());
    assertFalse(execInspect.isRunning());

    var conflict = assertThrows(ConflictException.class, () -> client.removeContainerCmd(id).exec());
    assertTrue(conflict.getMessage().contains("stop the container before removing or force remove"),
        conflict.getMessage());
    client.stopContainerCmd(id).withTimeout(1).exec();
    assertFalse(client.inspectContainerCmd(id).exec().getState().getRunning());

    client.startContainerCmd(id).exec();
    client.killContainerCmd(id).withSignal("KILL").exec();
    int code = exitCode(id);
    assertEquals(137, code);
    client.removeContainerCmd(id).exec();
    containers.remove(id);
  }

  @Test
  void attachSendsStdinToCatAndReadsItBack() throws Exception {
    String id = client.createContainerCmd(IMAGE).withName("dj-cat").withCmd("cat")
        .withStdinOpen(true).withStdInOnce(true).withAttachStdin(true).withAttachStdout(true).withAttachStderr(true)
        .withLabels(Map.of(LABEL, "cat")).exec().getId();
    containers.add(id);
    var stdin = new PipedOutputStream();
    var output = new Output();
    try (InputStream in = new PipedInputStream(stdin)) {
      client.attachContainerCmd(id).withStdIn(in).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(output);
      client.startContainerCmd(id).exec();
      stdin.write("through docker-java\n".getBytes(StandardCharsets.UTF_8));
      stdin.flush();
      Poll.until("cat echoes stdin", Duration.ofSeconds(15),
          () -> output.out.toString().equals("through docker-java\n"));
      // docker-java's transport never half-closes the hijacked connection when stdin ends (dockerd
      // would see no EOF either), so cat is ended by a signal and the attach ends with it.
      client.killContainerCmd(id).exec();
      int code = exitCode(id);
      assertEquals(137, code);
      assertTrue(output.awaitCompletion(15, TimeUnit.SECONDS), "the attach stream ends with the container");
    } finally {
      stdin.close();
      output.close();
    }
    client.removeContainerCmd(id).exec();
    containers.remove(id);
  }

  @Test
  void tagsPushesAndPullsThroughARegistry() throws Exception {
    try (var registry = TestRegistry.start()) {
      String repo = registry.host() + "/dj/busybox";
      client.tagImageCmd(IMAGE, repo, "1").exec();
      client.pushImageCmd(repo).withTag("1").exec(new ResultCallback.Adapter<>()).awaitCompletion(60, TimeUnit.SECONDS);
      client.removeImageCmd(repo + ":1").exec();
      assertThrows(NotFoundException.class, () -> client.inspectImageCmd(repo + ":1").exec());
      client.pullImageCmd(repo).withTag("1").exec(new PullImageResultCallback()).awaitCompletion(60, TimeUnit.SECONDS);
      var pulled = client.inspectImageCmd(repo + ":1").exec();
      assertEquals(client.inspectImageCmd(IMAGE).exec().getId(), pulled.getId());
      assertFalse(pulled.getRepoDigests().isEmpty(), "a pulled image has its digest");
      client.removeImageCmd(repo + ":1").exec();
    }
  }

  @Test
  void logsInAndPushesAndPullsWithCredentials() throws Exception {
    try (var registry = TestRegistry.start("berth", "s3cret")) {
      var wrong = new AuthConfig().withRegistryAddress(registry.host()).withUsername("berth").withPassword("nope");
      // dockerd's loginV2 turns a registry's 401 to basic auth into an unclassified error: a 500.
      var refused = assertThrows(InternalServerErrorException.class,
          () -> client.authCmd().withAuthConfig(wrong).exec());
      assertTrue(refused.getMessage().contains("login attempt to http://" + registry.host()
          + "/v2/ failed with status: 401 Unauthorized"), refused.getMessage());
      var auth = new AuthConfig().withRegistryAddress(registry.host()).withUsername("berth").withPassword("s3cret");
      assertEquals("Login Succeeded", client.authCmd().withAuthConfig(auth).exec().getStatus());

      String repo = registry.host() + "/dj/locked";
      client.tagImageCmd(IMAGE, repo, "1").exec();
      client.pushImageCmd(repo).withTag("1").withAuthConfig(auth).exec(new ResultCallback.Adapter<>())
          .awaitCompletion(60, TimeUnit.SECONDS);
      client.removeImageCmd(repo + ":1").exec();
      // As dockerd's translatePullError: the client's missing credentials are an unknown error, a 500.
      var anonymous = assertThrows(InternalServerErrorException.class, () -> client.pullImageCmd(repo).withTag("1")
          .exec(new PullImageResultCallback()).awaitCompletion(60, TimeUnit.SECONDS));
      assertTrue(anonymous.getMessage().contains("no basic auth credentials"), anonymous.getMessage());
      client.pullImageCmd(repo).withTag("1").withAuthConfig(auth).exec(new PullImageResultCallback())
          .awaitCompletion(60, TimeUnit.SECONDS);
      assertEquals(client.inspectImageCmd(IMAGE).exec().getId(), client.inspectImageCmd(repo + ":1").exec().getId());
      client.removeImageCmd(repo + ":1").exec();
    }
  }

  @Test
  void copiesAFileInAndOut() throws Exception {
    String id = create("dj-copy", HostConfig.newHostConfig(), "sleep", "300");
    client.startContainerCmd(id).exec();
    byte[] content = "copied by docker-java\n".getBytes(StandardCharsets.UTF_8);
    var tar = new ByteArrayOutputStream();
    try (var out = new TarArchiveOutputStream(tar)) {
      var entry = new TarArchiveEntry("note.txt");
      entry.setSize(content.length);
      entry.setMode(0644);
      out.putArchiveEntry(entry);
      out.write(content);
      out.closeArchiveEntry();
    }
    client.copyArchiveToContainerCmd(id).withRemotePath("/tmp")
        .withTarInputStream(new ByteArrayInputStream(tar.toByteArray())).exec();

    String exec = client.execCreateCmd(id).withAttachStdout(true).withCmd("cat", "/tmp/note.txt").exec().getId();
    var cat = client.execStartCmd(exec).exec(new Output());
    assertTrue(cat.awaitCompletion(30, TimeUnit.SECONDS));
    assertEquals("copied by docker-java\n", cat.out.toString());

    try (var back = new TarArchiveInputStream(client.copyArchiveFromContainerCmd(id, "/tmp/note.txt").exec())) {
      var entry = back.getNextEntry();
      assertEquals("note.txt", entry.getName());
      assertEquals("copied by docker-java\n", new String(back.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertThrows(NotFoundException.class, () -> client.copyArchiveFromContainerCmd(id, "/tmp/none").exec().close());
    client.removeContainerCmd(id).withForce(true).exec();
    containers.remove(id);
  }

  @Test
  void volumesAndNetworks() {
    var created = client.createVolumeCmd().withName("dj-vol").withLabels(Map.of(LABEL, "vol")).exec();
    volumes.add(created.getName());
    assertEquals("local", created.getDriver());
    assertTrue(client.listVolumesCmd().exec().getVolumes().stream().anyMatch(v -> "dj-vol".equals(v.getName())));
    var volume = client.inspectVolumeCmd("dj-vol").exec();
    assertEquals("vol", volume.getLabels().get(LABEL));
    assertNotNull(volume.getMountpoint());
    client.removeVolumeCmd("dj-vol").exec();
    volumes.remove("dj-vol");
    assertThrows(NotFoundException.class, () -> client.inspectVolumeCmd("dj-vol").exec());

    String net = client.createNetworkCmd().withName("dj-net").withDriver("bridge")
        .withLabels(Map.of(LABEL, "net")).exec().getId();
    networks.add(net);
    assertTrue(client.listNetworksCmd().withNameFilter("dj-net").exec().stream()
        .map(Network::getId).toList().contains(net));
    var network = client.inspectNetworkCmd().withNetworkId("dj-net").exec();
    assertEquals(net, network.getId());
    assertEquals("bridge", network.getDriver());
    assertEquals("net", network.getLabels().get(LABEL));
    assertFalse(network.getIpam().getConfig().isEmpty(), "an address pool is chosen");
    client.removeNetworkCmd(net).exec();
    networks.remove(net);
    assertThrows(NotFoundException.class, () -> client.inspectNetworkCmd().withNetworkId("dj-net").exec());
  }

  @Test
  void pausesRenamesUpdatesAndReadsTopStatsEventsAndPorts() throws Exception {
    var since = Instant.now().getEpochSecond() - 1;
    var http = ExposedPort.tcp(8080);
    var ports = new Ports();
    ports.bind(http, Ports.Binding.bindIpAndPort("127.0.0.1", 0));
    String id = client.createContainerCmd(IMAGE).withName("dj-more")
        .withCmd("sh", "-c", "echo one; echo two; sleep 300")
        .withExposedPorts(http).withLabels(Map.of(LABEL, "more"))
        .withHostConfig(HostConfig.newHostConfig().withPortBindings(ports)).exec().getId();
    containers.add(id);
    client.startContainerCmd(id).exec();

    var inspect = client.inspectContainerCmd(id).exec();
    var bound = inspect.getNetworkSettings().getPorts().getBindings().get(http);
    assertNotNull(bound, String.valueOf(inspect.getNetworkSettings().getPorts().getBindings()));
    assertEquals("127.0.0.1", bound[0].getHostIp());
    var listed = client.listContainersCmd().withIdFilter(List.of(id)).exec().get(0);
    assertTrue(Arrays.stream(listed.getPorts()).anyMatch(p -> p.getPrivatePort() == 8080),
        Arrays.toString(listed.getPorts()));
    assertEquals("running", listed.getState());

    client.pauseContainerCmd(id).exec();
    assertTrue(client.inspectContainerCmd(id).exec().getState().getPaused());
    client.unpauseContainerCmd(id).exec();
    client.renameContainerCmd(id).withName("dj-renamed").exec();
    assertEquals("/dj-renamed", client.inspectContainerCmd(id).exec().getName());
    client.updateContainerCmd(id).withMemory(96L << 20).withMemorySwap(192L << 20).exec();
    assertEquals(96L << 20, client.inspectContainerCmd(id).exec().getHostConfig().getMemory());

    var top = client.topContainerCmd(id).exec();
    assertTrue(Arrays.asList(top.getTitles()).contains("PID"), Arrays.toString(top.getTitles()));
    assertTrue(top.getProcesses().length >= 1);

    var stats = new AtomicReference<Statistics>();
    try (var cb = client.statsCmd(id).withNoStream(true).exec(new ResultCallback.Adapter<>() {
      @Override
      public void onNext(Statistics s) {
        stats.set(s);
      }
    })) {
      cb.awaitCompletion(30, TimeUnit.SECONDS);
    }
    assertNotNull(stats.get(), "one stats sample");
    assertTrue(stats.get().getMemoryStats().getUsage() > 0, "memory usage");

    var tail = client.logContainerCmd(id).withStdOut(true).withTail(1).withTimestamps(true).exec(new Output());
    assertTrue(tail.awaitCompletion(15, TimeUnit.SECONDS));
    assertTrue(tail.out.toString().matches("\\d{4}-\\d\\d-\\d\\dT\\S+ two\n"), tail.out.toString());

    client.restartContainerCmd(id).withTimeout(0).exec();
    assertTrue(client.inspectContainerCmd(id).exec().getState().getRunning());
    var changes = client.containerDiffCmd(id).exec();
    assertNotNull(changes);

    String net = client.createNetworkCmd().withName("dj-net2").exec().getId();
    networks.add(net);
    client.connectToNetworkCmd().withContainerId(id).withNetworkId(net).exec();
    assertTrue(client.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().containsKey("dj-net2"));
    client.disconnectFromNetworkCmd().withContainerId(id).withNetworkId(net).exec();

    client.removeContainerCmd(id).withForce(true).exec();
    containers.remove(id);
    client.removeNetworkCmd(net).exec();
    networks.remove(net);

    var events = new CopyOnWriteArrayList<Event>();
    try (var cb = client.eventsCmd().withSince(Long.toString(since))
        .withUntil(Long.toString(Instant.now().getEpochSecond() + 1))
        .withContainerFilter(id).exec(new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Event e) {
            events.add(e);
          }
        })) {
      cb.awaitCompletion(15, TimeUnit.SECONDS);
    }
    var actions = events.stream().map(Event::getAction).toList();
    for (String action : List.of("create", "start", "pause", "unpause", "rename", "update", "restart", "destroy")) {
      assertTrue(actions.contains(action), action + " in " + actions);
    }
  }

  @Test
  void buildsFromADockerfileAndReadsTheImageIdFromTheStream(@org.junit.jupiter.api.io.TempDir Path context)
      throws Exception {
    // docker-java's buildImageCmd (what Testcontainers' ImageFromDockerfile uses): a gzipped tar
    // of the directory, the image ID read from the stream's aux message.
    Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\nARG GREETING=hi\n"
        + "COPY hello.txt /hello.txt\nRUN echo \"$GREETING from RUN\" > /run.txt\n"
        + "LABEL " + LABEL + "=built\nCMD [\"cat\", \"/hello.txt\", \"/run.txt\"]\n");
    Files.writeString(context.resolve("hello.txt"), "hello from COPY\n");
    var log = new StringBuffer();
    String imageId = client.buildImageCmd(context.toFile()).withTags(java.util.Set.of("dj-built:1"))
        .withBuildArg("GREETING", "hey").withPull(false)
        .exec(new com.github.dockerjava.api.command.BuildImageResultCallback() {
          @Override
          public void onNext(com.github.dockerjava.api.model.BuildResponseItem item) {
            if (item.getStream() != null) {
              log.append(item.getStream());
            }
            super.onNext(item);
          }
        }).awaitImageId(60, TimeUnit.SECONDS);
    try {
      assertTrue(log.toString().contains("Successfully built " + imageId.substring(0, 12)), log.toString());
      assertTrue(client.inspectImageCmd(imageId).exec().getRepoTags().contains("dj-built:1"));
      String ran = client.createContainerCmd("dj-built:1").withLabels(Map.of(LABEL, "dj-built")).exec().getId();
      containers.add(ran);
      client.startContainerCmd(ran).exec();
      assertEquals(0, exitCode(ran));
      var out = client.logContainerCmd(ran).withStdOut(true).withStdErr(true).exec(new Output());
      assertTrue(out.awaitCompletion(30, TimeUnit.SECONDS));
      assertEquals("hello from COPY\nhey from RUN\n", out.out.toString());
      client.removeContainerCmd(ran).withForce(true).exec();
      containers.remove(ran);
      // A build that fails says so through docker-java's exception, with the step's words.
      Files.writeString(context.resolve("Dockerfile"), "FROM " + IMAGE + "\nRUN exit 3\n");
      var failed = assertThrows(com.github.dockerjava.api.exception.DockerClientException.class, () -> client
          .buildImageCmd(context.toFile()).exec(new com.github.dockerjava.api.command.BuildImageResultCallback())
          .awaitImageId(60, TimeUnit.SECONDS));
      assertTrue(failed.getMessage().contains("returned a non-zero code: 3"), failed.getMessage());
    } finally {
      quietly(() -> client.removeImageCmd("dj-built:1").withForce(true).exec());
    }
  }

  @Test
  void commitsSavesLoadsPrunesAndRunsWithATtyAndAHealthcheck() throws Exception {
    var check = new HealthCheck().withTest(List.of("CMD", "true"))
        .withInterval(200_000_000L).withTimeout(1_000_000_000L).withRetries(2);
    String id = client.createContainerCmd(IMAGE).withName("dj-tty").withCmd("sleep", "300").withTty(true)
        .withHealthcheck(check).withLabels(Map.of(LABEL, "tty")).exec().getId();
    containers.add(id);
    client.startContainerCmd(id).exec();
    Poll.until("healthy", Duration.ofSeconds(20), () -> {
      var health = client.inspectContainerCmd(id).exec().getState().getHealth();
      return health != null && "healthy".equals(health.getStatus());
    });
    var state = client.inspectContainerCmd(id).withSize(true).exec();
    assertTrue(state.getConfig().getTty());
    assertEquals(List.of("CMD", "true"), state.getConfig().getHealthcheck().getTest());
    assertFalse(state.getState().getHealth().getLog().isEmpty());

    String exec = client.execCreateCmd(id).withTty(true).withAttachStdout(true).withEnv(List.of("WHO=tty"))
        .withWorkingDir("/tmp").withCmd("sh", "-c", "echo $WHO $(pwd); [ -t 1 ] && echo isatty").exec().getId();
    var out = client.execStartCmd(exec).withTty(true).exec(new Output());
    assertTrue(out.awaitCompletion(30, TimeUnit.SECONDS));
    assertEquals("tty /tmp\r\nisatty\r\n", out.out.toString());

    String mark = client.execCreateCmd(id).withCmd("sh", "-c", "echo made > /made").exec().getId();
    client.execStartCmd(mark).exec(new ResultCallback.Adapter<>()).awaitCompletion(30, TimeUnit.SECONDS);
    String committed = client.commitCmd(id).withRepository("dj-committed").withTag("1")
        .withLabels(Map.of(LABEL, "commit")).exec();
    assertEquals(List.of("dj-committed:1"), client.inspectImageCmd(committed).exec().getRepoTags());
    client.removeContainerCmd(id).withForce(true).exec();
    containers.remove(id);

    byte[] saved;
    try (InputStream tar = client.saveImageCmd("dj-committed").withTag("1").exec()) {
      saved = tar.readAllBytes();
    }
    client.removeImageCmd("dj-committed:1").exec();
    client.loadImageCmd(new ByteArrayInputStream(saved)).exec();
    assertEquals(committed, client.inspectImageCmd("dj-committed:1").exec().getId());

    String ran = client.createContainerCmd("dj-committed:1").withName("dj-made").withCmd("cat", "/made")
        .withLabels(Map.of(LABEL, "dj-made")).exec().getId();
    containers.add(ran);
    client.startContainerCmd(ran).exec();
    assertEquals(0, exitCode(ran));
    var pruned = client.pruneCmd(PruneType.CONTAINERS)
        .withLabelFilter(LABEL + "=dj-made").exec();
    assertNotNull(pruned);
    assertThrows(NotFoundException.class, () -> client.inspectContainerCmd(ran).exec());
    containers.remove(ran);
    client.removeImageCmd("dj-committed:1").exec();
  }

  @Test
  void containersOnANetworkFindEachOtherByAliasAsTestcontainersWiresThem() throws Exception {
    String net = client.createNetworkCmd().withName("dj-tc").withCheckDuplicate(true)
        .withLabels(Map.of(LABEL, "tc")).exec().getId();
    networks.add(net);
    String vol = client.createVolumeCmd().withName("dj-tc-vol").withLabels(Map.of(LABEL, "tc")).exec().getName();
    volumes.add(vol);
    assertEquals(List.of(net), client.listNetworksCmd().withFilter("label", List.of(LABEL + "=tc")).exec().stream()
        .map(Network::getId).toList());
    assertEquals(List.of(vol), client.listVolumesCmd().withFilter("label", List.of(LABEL + "=tc")).exec()
        .getVolumes().stream().map(v -> v.getName()).toList());

    String server = client.createContainerCmd(IMAGE).withName("dj-server").withCmd("sleep", "300")
        .withLabels(Map.of(LABEL, "tc")).withAliases("db")
        .withHostConfig(HostConfig.newHostConfig().withNetworkMode("dj-tc")).exec().getId();
    containers.add(server);
    client.startContainerCmd(server).exec();
    var settings = client.inspectContainerCmd(server).exec().getNetworkSettings();
    var onNet = settings.getNetworks().get("dj-tc");
    assertNotNull(onNet, String.valueOf(settings.getNetworks()));
    assertTrue(onNet.getAliases().contains("db"), String.valueOf(onNet.getAliases()));
    assertFalse(onNet.getIpAddress().isEmpty());
    assertFalse(onNet.getGateway().isEmpty());

    String exec = client.execCreateCmd(server).withUser("nobody").withAttachStdout(true).withAttachStderr(true)
        .withAttachStdin(true)
        .withCmd("sh", "-c", "id -un; read -r line; echo $line; nslookup db 127.0.0.11 >/dev/null && echo resolved")
        .exec().getId();
    // docker-java never closes an exec's stdin (as with attach), so the exec reads one line, not to EOF.
    var out = client.execStartCmd(exec).withStdIn(new ByteArrayInputStream("fed\n".getBytes(StandardCharsets.UTF_8)))
        .exec(new Output());
    assertTrue(out.awaitCompletion(30, TimeUnit.SECONDS), () -> "exec output: " + out.out + "|" + out.err);
    assertEquals("nobody\nfed\nresolved\n", out.out.toString(), out.err.toString());

    Path file = Files.writeString(daemon.dir.resolve("dj-host-file.txt"), "a host file\n");
    client.copyArchiveToContainerCmd(server).withHostResource(file.toString()).withRemotePath("/tmp").exec();
    String cat = client.execCreateCmd(server).withAttachStdout(true).withCmd("cat", "/tmp/dj-host-file.txt")
        .exec().getId();
    var copied = client.execStartCmd(cat).exec(new Output());
    assertTrue(copied.awaitCompletion(15, TimeUnit.SECONDS));
    assertEquals("a host file\n", copied.out.toString());

    client.removeContainerCmd(server).withForce(true).exec();
    containers.remove(server);
    client.removeNetworkCmd(net).exec();
    networks.remove(net);
    client.removeVolumeCmd(vol).exec();
    volumes.remove(vol);
  }

  @Test
  void liveEventsAndAFollowedLogArriveWhileTheContainerRuns() throws Exception {
    var events = new CopyOnWriteArrayList<Event>();
    try (var watch = client.eventsCmd().withLabelFilter(Map.of(LABEL, "dj-live"))
        .exec(new ResultCallback.Adapter<Event>() {
          @Override
          public void onNext(Event e) {
            events.add(e);
          }
        })) {
      watch.awaitStarted(10, TimeUnit.SECONDS);
      String id = create("dj-live", HostConfig.newHostConfig(), "sh", "-c", "echo ready; sleep 300");
      client.startContainerCmd(id).exec();
      // Testcontainers' log message wait strategy: follow the log and wait for a line, the container still running.
      try (var log = client.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(true)
          .exec(new Output())) {
        Poll.until("the followed log delivers ready", Duration.ofSeconds(15),
            () -> log.out.toString().equals("ready\n"));
      }
      Poll.until("create and start arrive live", Duration.ofSeconds(15), () -> events.stream()
          .map(Event::getAction).toList().containsAll(List.of("create", "start")));
      assertEquals(id, events.get(0).getId());
      client.removeContainerCmd(id).withForce(true).exec();
      containers.remove(id);
    }
  }

  @Test
  void aWideHostConfigRoundTrips() throws Exception {
    var host = HostConfig.newHostConfig()
        .withRestartPolicy(RestartPolicy.onFailureRestart(2))
        .withCapAdd(Capability.NET_ADMIN).withCapDrop(Capability.MKNOD)
        .withTmpFs(Map.of("/scratch", "size=8m"))
        .withUlimits(List.of(new Ulimit("nofile", 512L, 1024L)))
        .withExtraHosts("gateway.test:10.9.8.7")
        .withShmSize(32L << 20)
        .withReadonlyRootfs(true)
        .withLogConfig(new LogConfig(LogConfig.LoggingType.JSON_FILE))
        .withMounts(List.of(new Mount().withType(MountType.TMPFS).withTarget("/mnt/t")))
        .withCpuShares(512).withPidsLimit(64L).withInit(true);
    String id = client.createContainerCmd(IMAGE).withName("dj-wide").withLabels(Map.of(LABEL, "wide"))
        .withEntrypoint("sh", "-c").withCmd("ulimit -n; grep gateway.test /etc/hosts | cut -f2; pwd; id -un; hostname")
        .withWorkingDir("/scratch").withUser("nobody").withHostName("wide-host").withStopSignal("SIGUSR1")
        .withStopTimeout(3).withHostConfig(host).exec().getId();
    containers.add(id);
    client.startContainerCmd(id).exec();
    assertEquals(0, exitCode(id));
    var logs = client.logContainerCmd(id).withStdOut(true).withStdErr(true).exec(new Output());
    assertTrue(logs.awaitCompletion(15, TimeUnit.SECONDS));
    assertEquals("512\ngateway.test\n/scratch\nnobody\nwide-host\n|", logs.out + "|" + logs.err);

    var inspect = client.inspectContainerCmd(id).exec();
    var hc = inspect.getHostConfig();
    assertEquals("on-failure", hc.getRestartPolicy().getName());
    assertEquals(2, hc.getRestartPolicy().getMaximumRetryCount());
    assertEquals(List.of(Capability.NET_ADMIN), List.of(hc.getCapAdd()));
    assertEquals(Map.of("/scratch", "size=8m"), hc.getTmpFs());
    assertEquals(1024L, hc.getUlimits()[0].getHardLong());
    assertEquals(List.of("gateway.test:10.9.8.7"), List.of(hc.getExtraHosts()));
    assertEquals(32L << 20, hc.getShmSize());
    assertTrue(hc.getReadonlyRootfs());
    assertEquals("json-file", hc.getLogConfig().getType().getType());
    assertEquals(MountType.TMPFS, hc.getMounts().get(0).getType());
    assertEquals(512, hc.getCpuShares());
    assertEquals(64L, hc.getPidsLimit());
    assertTrue(hc.getInit());
    client.removeContainerCmd(id).exec();
    containers.remove(id);
  }

  @Test
  void attachReplaysTheLogStatsStreamAndATtyResizes() throws Exception {
    String done = create("dj-replay", HostConfig.newHostConfig(), "sh", "-c", "echo said; echo warned >&2");
    client.startContainerCmd(done).exec();
    assertEquals(0, exitCode(done));
    var replay = client.attachContainerCmd(done).withLogs(true).withStdOut(true).withStdErr(true).exec(new Output());
    assertTrue(replay.awaitCompletion(15, TimeUnit.SECONDS));
    assertEquals("said\n|warned\n", replay.out + "|" + replay.err);

    String tty = client.createContainerCmd(IMAGE).withName("dj-resize").withTty(true).withStdinOpen(true)
        .withCmd("sleep", "300").withLabels(Map.of(LABEL, "resize")).exec().getId();
    containers.add(tty);
    client.startContainerCmd(tty).exec();
    client.resizeContainerCmd(tty).withSize(30, 100).exec();
    String stty = client.execCreateCmd(tty).withTty(true).withAttachStdout(true)
        .withCmd("sh", "-c", "stty -F /proc/1/fd/0 size; [ -t 0 ] && echo stdin-tty").exec().getId();
    var size = client.execStartCmd(stty).withTty(true).exec(new Output());
    assertTrue(size.awaitCompletion(15, TimeUnit.SECONDS));
    // The container's console took the size; the exec's own tty is another one, stdin included.
    assertEquals("30 100\r\nstdin-tty\r\n", size.out.toString());

    var samples = new CopyOnWriteArrayList<Statistics>();
    try (var stream = client.statsCmd(tty).exec(new ResultCallback.Adapter<Statistics>() {
      @Override
      public void onNext(Statistics s) {
        samples.add(s);
      }
    })) {
      Poll.until("two streamed stats samples", Duration.ofSeconds(15), () -> samples.size() >= 2);
    }
    assertTrue(samples.get(1).getCpuStats().getCpuUsage().getTotalUsage() > 0, "cpu usage");
    for (String id : List.of(done, tty)) {
      client.removeContainerCmd(id).withForce(true).exec();
      containers.remove(id);
    }
  }

  @Test
  void errorsMapToDockerJavasExceptions() {
    assertThrows(NotFoundException.class, () -> client.inspectContainerCmd("no-such-container").exec());
    assertThrows(NotFoundException.class, () -> client.startContainerCmd("no-such-container").exec());
    assertThrows(NotFoundException.class, () -> client.inspectImageCmd("no-such-image:1").exec());
    assertThrows(BadRequestException.class, () -> create("not/a/name", HostConfig.newHostConfig(), "true"));
    String id = create("dj-conflict", HostConfig.newHostConfig(), "sleep", "300");
    assertThrows(ConflictException.class, () -> create("dj-conflict", HostConfig.newHostConfig(), "true"));
    assertThrows(NotModifiedException.class, () -> client.stopContainerCmd(id).exec());
    client.startContainerCmd(id).exec();
    assertThrows(NotModifiedException.class, () -> client.startContainerCmd(id).exec());
    assertThrows(ConflictException.class, () -> client.removeImageCmd(IMAGE).exec(),
        "an image a container uses is not removed without force");
    assertEquals(List.of(id), client.listContainersCmd().withNameFilter(List.of("dj-conflict"))
        .withStatusFilter(List.of("running")).exec().stream().map(Container::getId).toList());
    assertTrue(client.listImagesCmd().withImageNameFilter("busybox").exec().stream()
        .anyMatch(i -> List.of(i.getRepoTags()).contains(IMAGE)));
    client.removeContainerCmd(id).withForce(true).exec();
    containers.remove(id);
  }
}
