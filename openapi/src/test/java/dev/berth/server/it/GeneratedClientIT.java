package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.openapi.ResponseSchemas;
import dev.berth.openapi.SpecCheckedHttpClient;
import dev.berth.openapi.UnixSocketForwarder;
import dev.berth.openapi.client.ApiClient;
import dev.berth.openapi.client.ApiException;
import dev.berth.openapi.client.api.ContainerApi;
import dev.berth.openapi.client.api.ExecApi;
import dev.berth.openapi.client.api.ImageApi;
import dev.berth.openapi.client.api.NetworkApi;
import dev.berth.openapi.client.api.SystemApi;
import dev.berth.openapi.client.api.VolumeApi;
import dev.berth.openapi.client.model.ContainerCreateRequest;
import dev.berth.openapi.client.model.ContainerInspectResponse;
import dev.berth.openapi.client.model.ContainerSummary;
import dev.berth.openapi.client.model.ErrorResponse;
import dev.berth.openapi.client.model.ExecConfig;
import dev.berth.openapi.client.model.ExecInspectResponse;
import dev.berth.openapi.client.model.ExecStartConfig;
import dev.berth.openapi.client.model.HostConfig;
import dev.berth.openapi.client.model.ImageDeleteResponseItem;
import dev.berth.openapi.client.model.ImageSummary;
import dev.berth.openapi.client.model.Network;
import dev.berth.openapi.client.model.NetworkCreateRequest;
import dev.berth.openapi.client.model.Volume;
import dev.berth.openapi.client.model.VolumeCreateOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * berthd driven only through the Java client generated from berth.yaml at build time (issue 14),
 * over its Unix socket through a loopback forwarder. Every answer, success or error, is held to
 * its schema in berth.yaml by {@link SpecCheckedHttpClient} before the client parses it: a
 * property the spec lacks or a required one missing fails the call that got it.
 */
class GeneratedClientIT extends WithBerthd {

  private static final Path ROOTFS_SCRIPT = Path.of("..", "packaging", "busybox-rootfs.sh").toAbsolutePath().normalize();
  private static final String IMAGE = "genclient/busybox:latest";

  private static UnixSocketForwarder forwarder;
  private static ApiClient client;
  private static SystemApi system;
  private static ImageApi images;
  private static ContainerApi containers;
  private static ExecApi execs;
  private static VolumeApi volumes;
  private static NetworkApi networks;
  /** A change to the next request, for the bad-input tests; the generated APIs read the interceptor once. */
  private static volatile Consumer<HttpRequest.Builder> tamper;

  @BeforeAll
  static void client() throws Throwable {
    forwarder = UnixSocketForwarder.to(daemon.socket);
    client = new ApiClient(SpecCheckedHttpClient.builder(ResponseSchemas.ofBerthYaml()), ApiClient.createDefaultObjectMapper(),
        forwarder.baseUri());
    client.setRequestInterceptor(request -> {
      if (tamper != null) {
        tamper.accept(request);
      }
    });
    system = new SystemApi(client);
    images = new ImageApi(client);
    containers = new ContainerApi(client);
    execs = new ExecApi(client);
    volumes = new VolumeApi(client);
    networks = new NetworkApi(client);
    // The image comes in through the client too: an import of the host's busybox as a rootfs tar.
    Path tar = daemon.dir.resolve("busybox-rootfs.tar");
    Process script = new ProcessBuilder(ROOTFS_SCRIPT.toString()).redirectOutput(tar.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    assertEquals(0, script.waitFor(), ROOTFS_SCRIPT + " failed");
    // openapi-generator's native library writes a File body as JSON (its path); the tar goes in
    // through the client's request interceptor instead, on the request the client built.
    tampered(request -> {
      try {
        request.method("POST", HttpRequest.BodyPublishers.ofFile(tar));
      } catch (java.io.FileNotFoundException e) {
        throw new UncheckedIOException(e);
      }
    }, () -> images.imageCreate(null, "-", "genclient/busybox", "latest", null, null, List.of("CMD [\"sh\"]"), null,
        tar.toFile())).execute();
  }

  @AfterAll
  static void closeForwarder() {
    if (forwarder != null) {
      forwarder.close();
    }
  }

  @Test
  void pingVersionAndInfoAnswerAsTheSpecSays() throws ApiException {
    assertEquals("OK", system.systemPing());
    system.systemPingHead();
    var version = system.systemVersion();
    assertEquals("1.51", version.getApiVersion());
    assertEquals("linux", version.getOs());
    var info = system.systemInfo();
    assertNotNull(info.getID());
    assertTrue(info.getImages() >= 1, "the imported image counts: " + info.getImages());
  }

  @Test
  void imagesAreListedInspectedTaggedAndRemoved() throws ApiException {
    List<ImageSummary> all = images.imageList(false, null, false, true, false);
    assertTrue(all.stream().anyMatch(i -> i.getRepoTags().contains(IMAGE)), all.toString());
    var image = images.imageInspect(IMAGE, false);
    assertTrue(image.getId().startsWith("sha256:"), image.getId());
    assertEquals(List.of("sh"), image.getConfig().getCmd());

    images.imageTag(IMAGE, "genclient/tagged", "v1");
    List<ImageSummary> tagged = images.imageList(false, "{\"reference\":[\"genclient/tagged\"]}", false, false, false);
    assertEquals(1, tagged.size(), tagged.toString());
    assertEquals(image.getId(), tagged.get(0).getId());
    assertEquals(List.of("genclient/tagged:v1"),
        tagged.get(0).getRepoTags().stream().filter(t -> t.startsWith("genclient/tagged")).toList());

    List<ImageDeleteResponseItem> removed = images.imageDelete("genclient/tagged:v1", false, false, null);
    assertEquals("genclient/tagged:v1", removed.get(0).getUntagged());
    assertError(404, "No such image", () -> images.imageInspect("genclient/tagged:v1", false));
    assertEquals(image.getId(), images.imageInspect(IMAGE, false).getId(), "the other tag keeps the image");
  }

  @Test
  void aContainerRunsWithItsHostConfigAndIsListedLoggedInspectedAndRemoved() throws Exception {
    long memory = 64L * 1024 * 1024;
    var request = new ContainerCreateRequest().image(IMAGE)
        .cmd(List.of("sh", "-c", "echo to-out; echo to-err >&2; "
            + "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null; exit 3"))
        .labels(Map.of("genclient", "run"))
        .hostConfig(new HostConfig().memory(memory).readonlyRootfs(true).tmpfs(Map.of("/scratch", "size=1m")));
    var created = containers.containerCreate(request, "genclient-run", null);
    String id = created.getId();
    assertEquals(List.of(), created.getWarnings());

    containers.containerStart(id, null);
    assertEquals(3L, containers.containerWait(id, "not-running").getStatusCode());

    String logs = demux(containers.containerLogs(id, false, true, true, null, null, false, "all"));
    assertTrue(logs.contains("to-out\n") && logs.contains("to-err\n"), logs);
    assertTrue(logs.contains(Long.toString(memory)), "the memory limit is applied: " + logs);

    ContainerInspectResponse inspect = containers.containerInspect(id, false);
    assertEquals("/genclient-run", inspect.getName());
    assertEquals(3, inspect.getState().getExitCode());
    assertEquals(memory, inspect.getHostConfig().getMemory());
    assertEquals(Boolean.TRUE, inspect.getHostConfig().getReadonlyRootfs());

    List<ContainerSummary> exited = containers.containerList(true, null, false,
        "{\"label\":[\"genclient=run\"],\"status\":[\"exited\"]}");
    assertEquals(List.of(id), exited.stream().map(ContainerSummary::getId).toList());
    assertEquals(List.of(), containers.containerList(false, null, false, "{\"label\":[\"genclient=run\"]}"),
        "not running, so not listed without all");
    assertEquals(List.of(id), containers.containerList(true, null, true, "{\"name\":[\"genclient-run\"]}").stream()
        .map(ContainerSummary::getId).toList());

    containers.containerDelete(id, true, false, false);
    assertError(404, "No such container", () -> containers.containerInspect(id, false));
  }

  @Test
  void aRunningContainerIsStoppedAndAStoppedOneAnswers304() throws ApiException {
    String id = runSleeper("genclient-stop");
    assertEquals(Boolean.TRUE, containers.containerInspect(id, false).getState().getRunning());
    assertEquals(List.of(id), containers.containerList(false, null, false, "{\"id\":[\"" + id + "\"]}").stream()
        .map(ContainerSummary::getId).toList());
    containers.containerStop(id, null, 1);
    var state = containers.containerInspect(id, false).getState();
    assertFalse(state.getRunning());
    var again = assertThrows(ApiException.class, () -> containers.containerStop(id, null, 1));
    assertEquals(304, again.getCode());
    containers.containerDelete(id, false, false, false);
  }

  @Test
  void volumesAreCreatedListedInspectedAndRemoved() throws ApiException {
    Volume created = volumes.volumeCreate(new VolumeCreateOptions().name("genclient-vol").labels(Map.of("genclient", "vol")));
    assertEquals("genclient-vol", created.getName());
    assertEquals("local", created.getDriver());
    var listed = volumes.volumeList("{\"label\":[\"genclient=vol\"]}");
    assertEquals(List.of("genclient-vol"), listed.getVolumes().stream().map(Volume::getName).toList());
    assertEquals(created.getMountpoint(), volumes.volumeInspect("genclient-vol").getMountpoint());
    volumes.volumeDelete("genclient-vol", false);
    assertError(404, "no such volume", () -> volumes.volumeInspect("genclient-vol"));
  }

  @Test
  void networksAreCreatedListedInspectedAndRemoved() throws ApiException {
    var created = networks.networkCreate(new NetworkCreateRequest().name("genclient-net").labels(Map.of("genclient", "net")));
    String id = created.getId();
    List<Network> listed = networks.networkList("{\"label\":[\"genclient=net\"]}");
    assertEquals(List.of(id), listed.stream().map(Network::getId).toList());
    Network inspect = networks.networkInspect("genclient-net", false, null);
    assertEquals(id, inspect.getId());
    assertEquals("bridge", inspect.getDriver());
    assertError(409, "already exists", () -> networks.networkCreate(new NetworkCreateRequest().name("genclient-net")));
    networks.networkDelete(id);
    assertError(404, "not found", () -> networks.networkInspect(id, false, null));
  }

  @Test
  void execsRunInARunningContainerAndAreInspected() throws ApiException {
    String id = runSleeper("genclient-exec");
    String exec = execs.containerExec(id, new ExecConfig().cmd(List.of("sh", "-c", "exit 7")).attachStdout(true)).getId();
    ExecInspectResponse before = execs.execInspect(exec);
    assertEquals(Boolean.FALSE, before.getRunning());
    assertEquals(id, before.getContainerID());
    execs.execStart(exec, new ExecStartConfig().detach(false));
    ExecInspectResponse after = execs.execInspect(exec);
    assertEquals(7, after.getExitCode());
    assertEquals(Boolean.FALSE, after.getRunning());

    String detached = execs.containerExec(id, new ExecConfig().cmd(List.of("touch", "/tmp/detached"))).getId();
    execs.execStart(detached, new ExecStartConfig().detach(true));
    Poll.until("the detached exec to end", java.time.Duration.ofSeconds(10), () -> exitCodeOf(detached) != null);
    assertEquals(0, exitCodeOf(detached));

    containers.containerStop(id, null, 0);
    assertError(409, "is not running", () -> execs.containerExec(id, new ExecConfig().cmd(List.of("true"))));
    containers.containerDelete(id, false, false, false);
    assertError(404, "No such exec instance", () -> execs.execInspect("0".repeat(64)));
  }

  @Test
  void errorsAreTypedWithAMessageAndNever500() throws Exception {
    assertError(404, "No such container: genclient-ghost", () -> containers.containerInspect("genclient-ghost", false));
    assertError(404, "No such container", () -> containers.containerStart("genclient-ghost", null));
    assertError(404, "No such image",
        () -> containers.containerCreate(new ContainerCreateRequest().image("genclient/none:latest"), null, null));
    assertError(404, null, () -> volumes.volumeDelete("genclient-ghost", false));
    assertError(404, null, () -> networks.networkDelete("genclient-ghost"));
    // What the native library sends for a File body untouched (its path, as JSON) is no tar: refused, not imported.
    assertError(400, "unexpected EOF", () -> images.imageCreate(null, "-", "genclient/garbage", "latest", null, null, null,
        null, new File("/no/such/rootfs.tar")));
    assertError(404, "No such image", () -> images.imageInspect("genclient/garbage:latest", false));
    assertError(400, null, () -> containers.containerCreate(new ContainerCreateRequest().image(IMAGE), "bad/name", null));
    assertError(400, null, () -> containers.containerCreate(new ContainerCreateRequest().image(IMAGE)
        .hostConfig(new HostConfig().memory(-5L)), null, null));

    String id = runSleeper("genclient-busy");
    assertError(409, "genclient-busy",
        () -> containers.containerCreate(new ContainerCreateRequest().image(IMAGE), "genclient-busy", null));
    assertError(409, null, () -> containers.containerDelete(id, false, false, false));
    assertError(409, null, () -> images.imageDelete(IMAGE, false, false, null));

    // What the typed methods cannot send: their request, with the body or query replaced on its way out.
    assertError(400, null, withBody("{\"Image\": ", () -> containers.containerCreate(new ContainerCreateRequest(), null, null)));
    assertError(400, null, withBody("{\"Image\": 5}", () -> containers.containerCreate(new ContainerCreateRequest(), null, null)));
    assertError(400, null, withBody("[1, 2]", () -> containers.containerCreate(new ContainerCreateRequest(), null, null)));
    assertError(400, null, withBody("{\"Image\": \"" + IMAGE + "\", \"HostConfig\": {\"Memory\": \"lots\"}}",
        () -> containers.containerCreate(new ContainerCreateRequest(), null, null)));
    assertError(400, null, withBody("{\"Name\": [\"a\"]}", () -> volumes.volumeCreate(new VolumeCreateOptions())));
    assertError(400, null, withBody("{\"Name\": \"genclient-bad\", \"Internal\": \"yes\"}",
        () -> networks.networkCreate(new NetworkCreateRequest().name("x"))));
    assertError(400, null, withBody("{\"Cmd\": [1, 2]}", () -> execs.containerExec(id, new ExecConfig())));
    assertError(400, null, withBody("{\"Cmd\": [\"true\"], \"Tty\": \"yes\"}", () -> execs.containerExec(id, new ExecConfig())));
    assertError(400, null, withQuery("t=1", "t=soon", () -> containers.containerStop(id, null, 1)));

    containers.containerDelete(id, false, true, false);
  }

  private static Integer exitCodeOf(String exec) {
    try {
      return execs.execInspect(exec).getExitCode();
    } catch (ApiException e) {
      throw new AssertionError(e);
    }
  }

  private static String runSleeper(String name) throws ApiException {
    String id = containers.containerCreate(new ContainerCreateRequest().image(IMAGE).cmd(List.of("sleep", "300"))
        .hostConfig(new HostConfig().init(true)), name, null).getId();
    containers.containerStart(id, null);
    return id;
  }

  /** The payloads of a multiplexed log stream (8-byte frame headers), stdout and stderr together. */
  private static String demux(File stream) throws IOException {
    byte[] bytes = Files.readAllBytes(stream.toPath());
    var out = new StringBuilder();
    int at = 0;
    while (at + 8 <= bytes.length) {
      int size = java.nio.ByteBuffer.wrap(bytes, at + 4, 4).getInt();
      out.append(new String(bytes, at + 8, size, StandardCharsets.UTF_8));
      at += 8 + size;
    }
    assertEquals(bytes.length, at, "the stream is whole frames");
    return out.toString();
  }

  /**
   * The call fails with {@code status} and a body that is the spec's ErrorResponse, whose message
   * holds {@code fragment} (when given). The body already matched the schema on the way in.
   */
  private static ErrorResponse assertError(int status, String fragment, Executable call) {
    ApiException e = assertThrows(ApiException.class, call);
    assertEquals(status, e.getCode(), e.getResponseBody());
    ErrorResponse error;
    try {
      error = client.getObjectMapper().readValue(e.getResponseBody(), ErrorResponse.class);
    } catch (IOException io) {
      throw new UncheckedIOException(io);
    }
    assertFalse(error.getMessage().isBlank(), e.getResponseBody());
    if (fragment != null) {
      assertTrue(error.getMessage().contains(fragment), error.getMessage());
    }
    return error;
  }

  /** {@code call}, its request's body replaced by {@code body}. */
  private static Executable withBody(String body, Executable call) {
    return tampered(b -> b.method(b.copy().build().method(), HttpRequest.BodyPublishers.ofString(body)), call);
  }

  /** {@code call}, {@code from} in its request's query replaced by {@code to}. */
  private static Executable withQuery(String from, String to, Executable call) {
    return tampered(b -> b.uri(java.net.URI.create(b.copy().build().uri().toString().replace(from, to))), call);
  }

  private static Executable tampered(Consumer<HttpRequest.Builder> change, Executable call) {
    return () -> {
      tamper = change;
      try {
        call.execute();
      } finally {
        tamper = null;
      }
    };
  }
}
