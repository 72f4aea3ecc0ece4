package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.archive.FileMode;
import dev.berth.core.archive.PathStat;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.container.model.ContainerFilter;
import dev.berth.core.container.lifecycle.ContainerInspection;
import dev.berth.core.container.lifecycle.ContainerService;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.logs.LogConfig;
import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.Digest;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageId;
import dev.berth.core.logs.LogQuery;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import dev.berth.core.runtime.AppArmor;
import dev.berth.core.runtime.DockerDefaults;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Docker's container JSON to the domain and back. */
class ContainerTranslatorTest {

  private static final Instant NOW = Instant.parse("2025-03-04T05:06:07.123456789Z");
  private static final ContainerId ID = new ContainerId("abcdef012345" + "0".repeat(52));
  private static final ImageId IMAGE = new ImageId(new Digest("b".repeat(64)));
  private static final String NEVER = "0001-01-01T00:00:00Z";

  // ---- create requests

  private static ContainerCreateRequest create(String json) {
    return ContainerTranslator.createRequest(json.getBytes(StandardCharsets.UTF_8), "web");
  }

  private static String badRequest(String json) {
    return assertThrows(InvalidArgumentException.class, () -> create(json)).getMessage();
  }

  @Test
  void nullsInStringsListsAndMapsAreEmptyStringsAsInGo() {
    ContainerConfig c = create("{\"Image\":\"busybox\",\"Labels\":{\"a\":null},\"Cmd\":[\"echo\",null]}").config();
    assertEquals(Map.of("a", ""), c.labels());
    assertEquals(List.of("echo", ""), c.cmd());
    // issue 11: dockerd's opts.ValidateEnv refuses a variable without a name
    assertEquals("invalid environment variable: ", badRequest("{\"Image\":\"busybox\",\"Env\":[null]}"));
    assertEquals("invalid environment variable: =x", badRequest("{\"Image\":\"busybox\",\"Env\":[\"=x\"]}"));
    assertEquals(List.of("A", "B=", "C=1"), create("{\"Image\":\"busybox\",\"Env\":[\"A\",\"B=\",\"C=1\"]}").config().env());
  }

  @Test
  void cmdAndEntrypointGivenAsStringsBecomeOneElementLists() {
    ContainerConfig c = create("{\"Image\":\"busybox\",\"Cmd\":\"echo hi\",\"Entrypoint\":\"/bin/sh -c\"}").config();
    assertEquals(List.of("echo hi"), c.cmd());
    assertEquals(List.of("/bin/sh -c"), c.entrypoint());
  }

  @Test
  void keysMatchCaseInsensitivelyAsInGo() {
    ContainerCreateRequest r = create("""
        {"IMAGE":"busybox","cmd":["a","b"],"entrypoint":["sh"],"ENV":["A=1"],"tty":true,"openstdin":true,
         "hostconfig":{"networkmode":"host","AUTOREMOVE":true}}
        """);
    assertEquals("busybox", r.config().image());
    assertEquals(List.of("a", "b"), r.config().cmd());
    assertEquals(List.of("sh"), r.config().entrypoint());
    assertEquals(List.of("A=1"), r.config().env());
    assertTrue(r.config().tty());
    assertTrue(r.config().openStdin());
    assertEquals("host", r.hostConfig().networkMode());
    assertTrue(r.hostConfig().autoRemove());
  }

  @Test
  void unknownKeysAreIgnored() {
    ContainerCreateRequest r = create("""
        {"Image":"busybox","Bogus":1,"MacAddress":"x","NetworkingConfig":{"EndpointsConfig":{"default":{}}},
         "HostConfig":{"Nope":true,"Memory":0}}
        """);
    assertEquals("busybox", r.config().image());
    assertEquals("default", r.hostConfig().networkMode());
  }

  @Test
  void nullAndMissingListsStayNull() {
    ContainerConfig absent = create("{\"Image\":\"busybox\"}").config();
    ContainerConfig nulls = create("{\"Image\":\"busybox\",\"Cmd\":null,\"Entrypoint\":null,\"Shell\":null}").config();
    for (ContainerConfig c : List.of(absent, nulls)) {
      assertNull(c.cmd());
      assertNull(c.entrypoint());
      assertNull(c.shell());
      assertNull(c.onBuild());
      assertNull(c.healthcheck());
      assertNull(c.stopTimeout());
    }
  }

  @Test
  void emptyListsAndTheEmptyEntrypointAreKeptAsGiven() {
    ContainerConfig c = create("{\"Image\":\"busybox\",\"Cmd\":[],\"Entrypoint\":[\"\"]}").config();
    assertEquals(List.of(), c.cmd());
    assertEquals(List.of(""), c.entrypoint());
  }

  @Test
  void absentOrNullHostConfigMeansTheDefaults() {
    // No LogConfig: the daemon's driver, which create fills in.
    assertEquals(HostConfig.DEFAULT.withLogConfig(LogConfig.UNSET), create("{\"Image\":\"busybox\"}").hostConfig());
    assertEquals(HostConfig.DEFAULT.withLogConfig(LogConfig.UNSET),
        create("{\"Image\":\"busybox\",\"HostConfig\":null}").hostConfig());
  }

  @Test
  void emptyBodyOrNullIsAnEmptyRequest() {
    ContainerCreateRequest empty = ContainerTranslator.createRequest(new byte[0], null);
    assertNull(empty.config().image());
    assertNull(empty.name());
    assertEquals(HostConfig.DEFAULT.withLogConfig(LogConfig.UNSET), empty.hostConfig());
    assertNull(create("null").config().image());
  }

  @Test
  void nameIsPassedThrough() {
    assertEquals("web", create("{}").name());
  }

  @Test
  void configFieldsAreRead() {
    ContainerConfig c = create("""
        {"Image":"busybox","Hostname":"h","Domainname":"d","User":"app:staff","WorkingDir":"/w",
         "Labels":{"k":"v"},"ExposedPorts":{"80/tcp":{}},"Volumes":{"/data":{}},"StopSignal":"SIGINT",
         "StopTimeout":5,"AttachStdin":true,"AttachStdout":true,"AttachStderr":true,"StdinOnce":true,
         "Healthcheck":{"Test":["CMD","true"],"Interval":1000000000,"Retries":3},"ArgsEscaped":true}
        """).config();
    assertEquals("h", c.hostname());
    assertEquals("d", c.domainname());
    assertEquals("app:staff", c.user());
    assertEquals("/w", c.workingDir());
    assertEquals(Map.of("k", "v"), c.labels());
    assertEquals(Set.of("80/tcp"), c.exposedPorts());
    assertEquals(Set.of("/data"), c.volumes());
    assertEquals("SIGINT", c.stopSignal());
    assertEquals(5, c.stopTimeout());
    assertTrue(c.attachStdin() && c.attachStdout() && c.attachStderr() && c.stdinOnce());
    assertEquals(new Healthcheck(List.of("CMD", "true"), 1_000_000_000L, 0, 0, 0, 3), c.healthcheck());
    assertTrue(c.argsEscaped());
  }

  @Test
  void hostConfigFieldsAreRead() {
    HostConfig h = create("""
        {"Image":"busybox","HostConfig":{"NetworkMode":"none","AutoRemove":true,
         "RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"ConsoleSize":[24,80],"Privileged":true,
         "ReadonlyRootfs":true,"CapAdd":["NET_ADMIN"],"CapDrop":["ALL"],"ExtraHosts":["h:1.2.3.4"],
         "Dns":["9.9.9.9"],"DnsSearch":["example.org"],"DnsOptions":["ndots:2"],"Init":true}}
        """).hostConfig();
    assertEquals(new HostConfig(true, "none", new RestartPolicy("on-failure", 3), 24, 80, true, true,
        List.of("NET_ADMIN"), List.of("ALL"), List.of("h:1.2.3.4"), List.of("9.9.9.9"), List.of("example.org"),
        List.of("ndots:2"), true, null).withLogConfig(LogConfig.UNSET), h);
  }

  @Test
  void consoleSizeThatIsNotTwoNumbersIsIgnored() {
    HostConfig h = create("{\"HostConfig\":{\"ConsoleSize\":[24]}}").hostConfig();
    assertEquals(0, h.consoleHeight());
    assertEquals(0, h.consoleWidth());
  }

  @Test
  void negativeConsoleSizeIsABadRequest() {
    assertEquals("invalid ConsoleSize: [-1, 80]", badRequest("{\"HostConfig\":{\"ConsoleSize\":[-1,80]}}"));
  }

  @Test
  void invalidRestartPolicyIsABadRequest() {
    assertTrue(badRequest("{\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"sometimes\"}}}")
        .startsWith("invalid restart policy: unknown policy 'sometimes'"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{not json", "{\"Image\":", "[1,2]", "{\"Cmd\":{\"a\":1}}", "{\"Tty\":\"maybe\"}",
      "{\"HostConfig\":[]}"})
  void malformedJsonIsABadRequest(String json) {
    assertTrue(badRequest(json).startsWith("invalid JSON: "), json);
  }

  // ---- HumanDuration (go-units, shared by dockerd and the CLI)

  // Cut-offs up to months use hours rounded to nearest, years use them truncated: go-units really
  // says "1 years" in the half hour before two years.

  @ParameterizedTest
  @CsvSource({
      "-5000, Less than a second",
      "0, Less than a second",
      "999, Less than a second",
      "1000, 1 second",
      "1999, 1 second",
      "2000, 2 seconds",
      "59999, 59 seconds",
      "60000, About a minute",
      "119999, About a minute",
      "120000, 2 minutes",
      "3599999, 59 minutes",
      "3600000, About an hour",
      "5399999, About an hour",
      "5400000, 2 hours",
      "169200000, 47 hours",
      "170999999, 47 hours",
      "171000000, 2 days",
      "1207799999, 13 days",
      "1207800000, 2 weeks",
      "5182199999, 8 weeks",
      "5182200000, 2 months",
      "63070199999, 24 months",
      "63070200000, 1 years",
      "63072000000, 2 years",
      "94608000000, 3 years"})
  void humanDurationMatchesGoUnits(long millis, String expected) {
    assertEquals(expected, ContainerTranslator.humanDuration(Duration.ofMillis(millis)));
  }

  // ---- status column

  @Test
  void statusOfARunningContainerIsUpAndItsAge() {
    assertEquals("Up 3 seconds",
        ContainerTranslator.status(new ContainerState.Running(1, 2, 3, NOW.minusSeconds(3)), NOW));
    assertEquals("Up Less than a second", ContainerTranslator.status(new ContainerState.Running(1, 2, 3, NOW), NOW));
  }

  @Test
  void statusOfAnExitedContainerHasItsCodeAndWhenItStopped() {
    var exited = new ContainerState.Exited(3, NOW.minusSeconds(600), NOW.minusSeconds(120), "", false, false);
    assertEquals("Exited (3) 2 minutes ago", ContainerTranslator.status(exited, NOW));
    var killed = new ContainerState.Exited(137, NOW.minusSeconds(7200), NOW.minusSeconds(3600), "", false, false);
    assertEquals("Exited (137) About an hour ago", ContainerTranslator.status(killed, NOW));
  }

  @Test
  void statusOfCreatedAndDeadContainers() {
    assertEquals("Created", ContainerTranslator.status(ContainerState.Created.FRESH, NOW));
    assertEquals("Created", ContainerTranslator.status(new ContainerState.Created(127, "exec failed"), NOW));
    assertEquals("Dead", ContainerTranslator.status(new ContainerState.Dead(NOW, NOW, "lost"), NOW));
  }

  // ---- logs

  @Test
  void sinceAndUntilAreUnixSecondsWithAnOptionalFraction() {
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 500_000_000), ContainerTranslator.timestamp("1700000000.5"));
    assertEquals(Instant.ofEpochSecond(1_700_000_000L), ContainerTranslator.timestamp("1700000000"));
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_789),
        ContainerTranslator.timestamp("1700000000.123456789"));
    assertEquals(Instant.ofEpochSecond(1_700_000_000L, 1_000),
        ContainerTranslator.timestamp("1700000000.000001"));
    assertEquals(Instant.ofEpochSecond(0, 500_000_000), ContainerTranslator.timestamp("0.5"));
  }

  @Test
  void fractionBeyondNanosecondsIsTruncated() {
    assertEquals(Instant.ofEpochSecond(1, 123_456_789), ContainerTranslator.timestamp("1.1234567891"));
  }

  @Test
  void zeroOrEmptyTimestampMeansUnset() {
    assertNull(ContainerTranslator.timestamp(""));
    assertNull(ContainerTranslator.timestamp("0"));
    assertNull(ContainerTranslator.timestamp("0.000"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"junk", "1.x", "x.5", "10m", "2024-01-01T00:00:00Z", "."})
  void junkTimestampIsABadRequest(String s) {
    var e = assertThrows(InvalidArgumentException.class, () -> ContainerTranslator.timestamp(s));
    assertEquals("invalid value for time: " + s, e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"all, -1", "'', -1", "10, 10", "0, 0", "junk, -1", "-5, -1", "1.5, -1"})
  void tailIsAllOrANumberAndJunkMeansAll(String tail, int expected) {
    assertEquals(expected, ContainerTranslator.logQuery(true, true, tail, "", "", false).tail());
  }

  @Test
  void logQueryCarriesStreamsTimesAndFollow() {
    LogQuery q = ContainerTranslator.logQuery(true, false, "5", "1700000000.25", "1700000100", true);
    assertEquals(new LogQuery(true, false, 5, Instant.ofEpochSecond(1_700_000_000L, 250_000_000),
        Instant.ofEpochSecond(1_700_000_100L), true), q);
    assertEquals(new LogQuery(false, true, -1, null, null, false),
        ContainerTranslator.logQuery(false, true, "all", "0", "", false));
  }

  @Test
  void timestampPrefixHasNineFractionDigitsInUtcAndASpace() {
    assertEquals("2025-03-04T05:06:07.123456789Z hello\n",
        new String(ContainerTranslator.withTimestamp(NOW, "hello\n".getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8));
    assertEquals("2023-11-14T22:13:20.500000000Z x",
        new String(ContainerTranslator.withTimestamp(Instant.ofEpochSecond(1_700_000_000L, 500_000_000),
            "x".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
    assertEquals("1970-01-01T00:00:00.000000000Z ",
        new String(ContainerTranslator.withTimestamp(Instant.EPOCH, new byte[0]), StandardCharsets.UTF_8));
  }

  @Test
  void timestampPrefixKeepsBinaryPayloadsIntact() {
    byte[] data = {0, (byte) 0xff, 10};
    byte[] out = ContainerTranslator.withTimestamp(Instant.EPOCH, data);
    assertArrayEquals(data, java.util.Arrays.copyOfRange(out, out.length - 3, out.length));
  }

  // ---- list filters

  private static ContainerFilter filter(boolean all, int limit, String json) {
    return ContainerTranslator.filter(all, limit, Filters.parse(json));
  }

  private static String badFilter(String json) {
    return assertThrows(InvalidArgumentException.class, () -> filter(false, 0, json)).getMessage();
  }

  @Test
  void filtersAreCarriedIntoTheDomain() {
    ContainerFilter f = filter(true, 0, """
        {"id":["abc"],"name":{"web":true},"label":["a=b","c"],"status":["exited","created"],"ancestor":["busybox"],
         "exited":["0","137"]}
        """);
    assertEquals(new ContainerFilter(true, 0, List.of("abc"), List.of("web"), List.of("a=b", "c"),
        List.of("exited", "created"), List.of("busybox"), List.of(0, 137)), f);
  }

  @Test
  void limitImpliesAll() {
    assertTrue(filter(false, 3, "").all());
    assertEquals(3, filter(false, 3, "").limit());
    assertFalse(filter(false, 0, "").all());
    assertFalse(filter(false, -1, "").all());
  }

  @ParameterizedTest
  @ValueSource(strings = {"before", "since", "health", "network", "volume", "publish", "expose", "is-task"})
  void otherDockerFilterKeysAreAccepted(String key) {
    filter(true, 0, "{\"" + key + "\":[\"x\"]}");
  }

  @Test
  void unknownFilterKeyIsABadRequest() {
    assertEquals("invalid filter 'bogus'", badFilter("{\"bogus\":[\"x\"]}"));
    assertEquals("invalid filter 'Status'", badFilter("{\"Status\":[\"exited\"]}"));
  }

  @Test
  void unknownStatusIsABadRequestWithDockersWording() {
    assertEquals("invalid filter 'status=stopped': invalid value for state (stopped): must be one of created, "
        + "running, paused, restarting, removing, exited, dead", badFilter("{\"status\":[\"stopped\"]}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"created", "restarting", "running", "removing", "paused", "exited", "dead"})
  void everyDockerStatusIsAccepted(String status) {
    assertEquals(List.of(status), filter(false, 0, "{\"status\":[\"" + status + "\"]}").statuses());
  }

  @Test
  void nonNumericExitCodeIsABadRequest() {
    assertTrue(badFilter("{\"exited\":[\"zero\"]}").startsWith("invalid filter 'exited=zero'"));
  }

  // ---- inspect and summary

  private static Container container(ContainerState state) {
    var config = new ContainerConfig("busybox", List.of("sh", "-c"), List.of("echo hi"), List.of("PATH=/bin"), "/w",
        "", "abcdef012345", "", Map.of("k", "v"), false, false, false, false, true, true, "", null, null, null, null,
        null, null, false);
    var host = new HostConfig(false, "bridge", new RestartPolicy("on-failure", 2), 0, 0, false, false, null, null,
        null, null, null, null, null, null);
    var bridge = new dev.berth.core.network.Endpoint(NET, List.of(), "", new dev.berth.core.network.Endpoint.Attachment(
        "e".repeat(64), "eth0", "172.17.0.2", 16, "172.17.0.1", "02:42:ac:11:00:02"));
    var networking = new dev.berth.core.network.Networking(Map.of("bridge", bridge),
        List.of(new dev.berth.core.network.PortBinding(8080, "tcp", "127.0.0.1", 18080)), false,
        List.of(new dev.berth.core.network.PortBinding(8080, "tcp", "127.0.0.1", 18080)));
    return new Container(ID, new ContainerName("web"), Instant.parse("2025-03-04T05:00:00.5Z"), IMAGE, config, host,
        state, 1, List.of(), networking);
  }

  private static final dev.berth.core.network.NetworkId NET = new dev.berth.core.network.NetworkId("d".repeat(64));

  @Test
  void aRunningContainerShowsItsAddressAndPublishedPorts() throws IOException {
    Container c = container(new ContainerState.Running(1, 2, 3, NOW.minusSeconds(3)));
    var ctx = new InspectContext(Path.of("/c"), List.of(), "runc", AppArmor.disabled(),
        NOW, null, List.of(), "/run/berth/netns/" + ID.hex());
    JsonNode i = json(inspect(c, ctx));
    assertEquals("172.17.0.2", i.at("/NetworkSettings/IPAddress").asText());
    assertEquals("172.17.0.2", i.at("/NetworkSettings/Networks/bridge/IPAddress").asText());
    assertEquals(16, i.at("/NetworkSettings/Networks/bridge/IPPrefixLen").asInt());
    assertEquals(NET.hex(), i.at("/NetworkSettings/Networks/bridge/NetworkID").asText());
    assertEquals("02:42:ac:11:00:02", i.at("/NetworkSettings/MacAddress").asText());
    assertEquals("/run/berth/netns/" + ID.hex(), i.at("/NetworkSettings/SandboxKey").asText());
    assertEquals("[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18080\"}]",
        i.at("/NetworkSettings/Ports/8080~1tcp").toString());
    assertEquals("[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"18080\"}]",
        i.at("/HostConfig/PortBindings/8080~1tcp").toString());
    JsonNode s = json(ContainerTranslator.summary(c, NOW, null, null));
    assertEquals("{\"IP\":\"127.0.0.1\",\"PrivatePort\":8080,\"PublicPort\":18080,\"Type\":\"tcp\"}",
        s.at("/Ports/0").toString());
  }

  @Test
  void aStoppedContainerKeepsItsNetworksButNoAddress() throws IOException {
    Container c = container(new ContainerState.Exited(0, NOW.minusSeconds(9), NOW, "", false, false));
    var ctx = new InspectContext(Path.of("/c"), List.of(), "runc", AppArmor.disabled(),
        NOW, null, List.of(), "/run/berth/netns/" + ID.hex());
    JsonNode i = json(inspect(c, ctx));
    assertEquals("", i.at("/NetworkSettings/Networks/bridge/IPAddress").asText());
    assertEquals(NET.hex(), i.at("/NetworkSettings/Networks/bridge/NetworkID").asText());
    assertEquals("", i.at("/NetworkSettings/SandboxKey").asText());
    assertTrue(i.at("/NetworkSettings/Ports").isEmpty());
  }

  /** What the engine gathers about a container for inspect (dir, layers, ...), as the test gives it. */
  private record InspectContext(Path dir, List<Path> layers, String runtime, AppArmor appArmor, Instant now,
      dev.berth.core.container.model.Health health, List<String> execIds, String sandboxKey) {}

  private static ContainerJson.Inspect inspect(Container c, InspectContext ctx) {
    return ContainerTranslator.inspect(ContainerInspection.details(c, ctx.dir(), ctx.layers(), ctx.runtime(),
        ctx.appArmor(), ctx.health(), ctx.execIds(), Path.of(ctx.sandboxKey()), null));
  }

  private static JsonNode json(Object value) throws IOException {
    return Json.MAPPER.readTree(Json.bytes(value));
  }

  private static JsonNode inspect(ContainerState state, boolean privileged) throws IOException {
    Container c = container(state);
    if (privileged) {
      var h = c.hostConfig();
      c = new Container(c.id(), c.name(), c.created(), c.imageId(), c.config(), new HostConfig(h.autoRemove(),
          h.networkMode(), h.restartPolicy(), 0, 0, true, false, null, null, null, null, null, null, null, null),
          c.state(), c.restartCount());
    }
    var ctx = new InspectContext(Path.of("/var/lib/berth/containers/" + ID.hex()),
        List.of(Path.of("/l/2"), Path.of("/l/1")), "crun", AppArmor.disabled(), NOW, null, List.of(), "");
    return json(inspect(c, ctx));
  }

  private static void assertStateFlagsPresent(JsonNode state) {
    for (String flag : List.of("Running", "Paused", "Restarting", "OOMKilled", "Dead")) {
      assertTrue(state.has(flag) && state.get(flag).isBoolean(), flag + " must always be present");
    }
  }

  @Test
  void inspectOfACreatedContainerHasZeroTimes() throws IOException {
    JsonNode state = inspect(ContainerState.Created.FRESH, false).get("State");
    assertEquals("created", state.get("Status").asText());
    assertStateFlagsPresent(state);
    assertFalse(state.get("Running").asBoolean());
    assertFalse(state.get("Paused").asBoolean());
    assertEquals(NEVER, state.get("StartedAt").asText());
    assertEquals(NEVER, state.get("FinishedAt").asText());
    assertEquals(0, state.get("Pid").asInt());
    assertEquals(0, state.get("ExitCode").asInt());
    assertEquals("", state.get("Error").asText());
  }

  @Test
  void inspectOfAFailedStartKeepsItsCodeAndError() throws IOException {
    JsonNode state = inspect(new ContainerState.Created(127, "exec: \"nope\": executable file not found in $PATH"),
        false).get("State");
    assertEquals("created", state.get("Status").asText());
    assertEquals(127, state.get("ExitCode").asInt());
    assertTrue(state.get("Error").asText().contains("executable file not found"));
  }

  @Test
  void inspectOfARunningContainer() throws IOException {
    JsonNode state = inspect(new ContainerState.Running(4242, 4241, 1, Instant.parse("2025-03-04T05:06:00.25Z")),
        false).get("State");
    assertEquals("running", state.get("Status").asText());
    assertStateFlagsPresent(state);
    assertTrue(state.get("Running").asBoolean());
    assertFalse(state.get("Paused").asBoolean());
    assertEquals(4242, state.get("Pid").asInt());
    assertEquals("2025-03-04T05:06:00.25Z", state.get("StartedAt").asText());
    assertEquals(NEVER, state.get("FinishedAt").asText());
  }

  @Test
  void inspectOfAnExitedContainer() throws IOException {
    JsonNode state = inspect(new ContainerState.Exited(137, Instant.parse("2025-03-04T05:06:00Z"),
        Instant.parse("2025-03-04T05:06:05.1Z"), "", true, false), false).get("State");
    assertEquals("exited", state.get("Status").asText());
    assertStateFlagsPresent(state);
    assertFalse(state.get("Running").asBoolean());
    assertTrue(state.get("OOMKilled").asBoolean());
    assertEquals(137, state.get("ExitCode").asInt());
    assertEquals(0, state.get("Pid").asInt());
    assertEquals("2025-03-04T05:06:00Z", state.get("StartedAt").asText());
    assertEquals("2025-03-04T05:06:05.1Z", state.get("FinishedAt").asText());
  }

  @Test
  void inspectOfADeadContainer() throws IOException {
    JsonNode state = inspect(new ContainerState.Dead(Instant.parse("2025-03-04T05:06:00Z"),
        Instant.parse("2025-03-04T05:06:01Z"), "monitor vanished"), false).get("State");
    assertEquals("dead", state.get("Status").asText());
    assertStateFlagsPresent(state);
    assertTrue(state.get("Dead").asBoolean());
    assertEquals("monitor vanished", state.get("Error").asText());
  }

  @Test
  void inspectTopLevelShape() throws IOException {
    JsonNode i = inspect(ContainerState.Created.FRESH, false);
    assertEquals(ID.hex(), i.get("Id").asText());
    assertEquals("2025-03-04T05:00:00.5Z", i.get("Created").asText());
    assertEquals("sh", i.get("Path").asText());
    assertEquals(List.of("-c", "echo hi"), texts(i.get("Args")));
    assertEquals("/web", i.get("Name").asText());
    assertEquals(IMAGE.toString(), i.get("Image").asText());
    assertEquals(1, i.get("RestartCount").asInt());
    assertEquals("overlay2", i.get("Driver").asText());
    assertEquals("linux", i.get("Platform").asText());
    assertTrue(i.get("Mounts").isArray() && i.get("Mounts").isEmpty());
    String dir = "/var/lib/berth/containers/" + ID.hex();
    assertEquals(dir + "/hostname", i.get("HostnamePath").asText());
    assertEquals(dir + "/hosts", i.get("HostsPath").asText());
    assertEquals(dir + "/resolv.conf", i.get("ResolvConfPath").asText());
    assertEquals("/l/2:/l/1", i.at("/GraphDriver/Data/LowerDir").asText());
    assertEquals(dir + "/merged", i.at("/GraphDriver/Data/MergedDir").asText());
  }

  @Test
  void inspectConfigAndHostConfig() throws IOException {
    JsonNode i = inspect(ContainerState.Created.FRESH, false);
    JsonNode config = i.get("Config");
    assertEquals("busybox", config.get("Image").asText());
    assertEquals("abcdef012345", config.get("Hostname").asText());
    assertEquals(List.of("sh", "-c"), texts(config.get("Entrypoint")));
    assertEquals(List.of("echo hi"), texts(config.get("Cmd")));
    assertEquals(List.of("PATH=/bin"), texts(config.get("Env")));
    assertEquals("v", config.at("/Labels/k").asText());
    assertTrue(config.get("ExposedPorts").isNull());
    assertTrue(config.get("StopSignal").isNull());
    JsonNode host = i.get("HostConfig");
    assertEquals("bridge", host.get("NetworkMode").asText());
    assertEquals("on-failure", host.at("/RestartPolicy/Name").asText());
    assertEquals(2, host.at("/RestartPolicy/MaximumRetryCount").asInt());
    assertEquals("json-file", host.at("/LogConfig/Type").asText());
    assertEquals("crun", host.get("Runtime").asText());
    assertEquals(DockerDefaults.maskedPaths(), texts(host.get("MaskedPaths")), "a record without its own: Docker's");
    assertTrue(i.at("/NetworkSettings/Networks").has("bridge"));
  }

  @Test
  void securityFieldsOfACreateBodyAreKeptAsGiven() {
    var sc = create("""
        {"Image":"busybox","HostConfig":{"SecurityOpt":["no-new-privileges","seccomp=unconfined"],
         "CgroupnsMode":"private","MaskedPaths":[],"ReadonlyPaths":["/proc/sys"]}}
        """).hostConfig().security();
    assertEquals(List.of("no-new-privileges", "seccomp=unconfined"), sc.securityOpt());
    assertEquals("private", sc.cgroupnsMode());
    assertEquals(List.of(), sc.maskedPaths(), "[] (systempaths=unconfined) is not 'absent'");
    assertEquals(List.of("/proc/sys"), sc.readonlyPaths());
    var absent = create("{\"Image\":\"busybox\",\"HostConfig\":{}}").hostConfig().security();
    assertEquals(List.of(), absent.securityOpt());
    assertEquals("", absent.cgroupnsMode(), "the daemon's default is decided at create");
    assertNull(absent.maskedPaths());
    assertNull(absent.readonlyPaths());
  }

  @Test
  void inspectShowsEachContainersOwnSecuritySettings() throws IOException {
    Container c = container(ContainerState.Created.FRESH);
    var opts = dev.berth.core.container.model.SecurityOptions.parse(List.of("apparmor=custom", "no-new-privileges"), false);
    c = c.withHostConfig(c.hostConfig().withSecurity(new dev.berth.core.container.model.SecurityConfig(
        List.of("apparmor=custom", "no-new-privileges"), "private", List.of(), List.of("/proc/sys"), opts)));
    var ctx = new InspectContext(Path.of("/c"), List.of(), "runc", AppArmor.disabled(), NOW, null,
        List.of(), "");
    JsonNode i = json(inspect(c, ctx));
    JsonNode hc = i.get("HostConfig");
    assertEquals(List.of("apparmor=custom", "no-new-privileges"), texts(hc.get("SecurityOpt")));
    assertEquals("private", hc.get("CgroupnsMode").asText());
    assertEquals(List.of(), texts(hc.get("MaskedPaths")));
    assertEquals(List.of("/proc/sys"), texts(hc.get("ReadonlyPaths")));
    assertEquals("custom", i.get("AppArmorProfile").asText(), "before the first start: what was asked for");
    JsonNode started = json(inspect(c.withState(new ContainerState.Exited(0, NOW, NOW, "", false,
        false)), ctx));
    assertEquals("", started.get("AppArmorProfile").asText(), "after it, on a host without AppArmor: none");
    JsonNode plain = inspect(ContainerState.Created.FRESH, false).get("HostConfig");
    assertTrue(plain.get("SecurityOpt").isNull());
    assertEquals("host", plain.get("CgroupnsMode").asText(), "a record from before cgroupns was kept ran in the host's");
  }

  @Test
  void privilegedContainersHaveNoMaskedOrReadonlyPaths() throws IOException {
    JsonNode host = inspect(ContainerState.Created.FRESH, true).get("HostConfig");
    assertTrue(host.get("Privileged").asBoolean());
    assertTrue(host.get("MaskedPaths").isNull());
    assertTrue(host.get("ReadonlyPaths").isNull());
  }

  @Test
  void summaryOfARunningContainer() throws IOException {
    JsonNode s = json(ContainerTranslator.summary(
        container(new ContainerState.Running(1, 2, 3, NOW.minusSeconds(3))), NOW, null, null));
    assertEquals(ID.hex(), s.get("Id").asText());
    assertEquals(List.of("/web"), texts(s.get("Names")));
    assertEquals("busybox", s.get("Image").asText());
    assertEquals(IMAGE.toString(), s.get("ImageID").asText());
    assertEquals("sh -c echo hi", s.get("Command").asText());
    assertEquals(Instant.parse("2025-03-04T05:00:00Z").getEpochSecond(), s.get("Created").asLong());
    assertEquals("running", s.get("State").asText());
    assertEquals("Up 3 seconds", s.get("Status").asText());
    assertEquals("bridge", s.at("/HostConfig/NetworkMode").asText());
    assertTrue(s.at("/NetworkSettings/Networks").has("bridge"));
    assertTrue(s.get("Ports").isArray() && s.get("Ports").size() == 1);
    assertTrue(s.get("Mounts").isArray());
    assertEquals("v", s.at("/Labels/k").asText());
  }

  @Test
  void summaryStateWordsAndStatus() throws IOException {
    JsonNode created = json(ContainerTranslator.summary(container(ContainerState.Created.FRESH), NOW, null, null));
    assertEquals("created", created.get("State").asText());
    assertEquals("Created", created.get("Status").asText());
    JsonNode exited = json(ContainerTranslator.summary(container(
        new ContainerState.Exited(3, NOW.minusSeconds(300), NOW.minusSeconds(120), "", false, false)), NOW, null, null));
    assertEquals("exited", exited.get("State").asText());
    assertEquals("Exited (3) 2 minutes ago", exited.get("Status").asText());
  }

  @Test
  void sizesAreAbsentUnlessAskedForAndAbsentWhenZeroAsDockerdOmitsThem() throws IOException {
    Container c = container(ContainerState.Created.FRESH);
    JsonNode plain = json(ContainerTranslator.summary(c, NOW, null, null));
    assertFalse(plain.has("SizeRw"));
    assertFalse(plain.has("SizeRootFs"));
    JsonNode sized = json(ContainerTranslator.summary(c, NOW, new ContainerService.DiskUsage(0, 4096), null));
    assertFalse(sized.has("SizeRw"), "moby's int64 omitempty");
    assertEquals(4096, sized.get("SizeRootFs").asLong());
  }

  // ---- storage

  @Test
  void aLabelThatIsNotAStringIsRefusedAsGoRefusesIt() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> create("{\"Image\":\"busybox\",\"Labels\":{\"a\":1}}"));
    assertEquals("invalid JSON: json: cannot unmarshal number into Go struct field ContainerConfigWrapper.Config.Labels"
        + " of type string", e.getMessage());
  }

  @Test
  void endpointDriverOptionsAndGatewayPrioritiesAreRefusedRatherThanDropped() {
    var opts = assertThrows(InvalidArgumentException.class, () -> create("""
        {"Image":"busybox","NetworkingConfig":{"EndpointsConfig":{"app":{"DriverOpts":{"b":"1","a":"2"}}}}}"""));
    assertEquals("berth does not support endpoint driver options yet: a, b", opts.getMessage());
    var gw = assertThrows(InvalidArgumentException.class, () -> create("""
        {"Image":"busybox","NetworkingConfig":{"EndpointsConfig":{"app":{"GwPriority":10}}}}"""));
    assertEquals("berth does not support gateway priorities on endpoints yet: 10", gw.getMessage());
  }

  @Test
  void aNullMountIsAnEmptyOneForTheMountChecksToRefuseAsGoDecodesIt() throws IOException {
    var mounts = create("{\"Image\":\"busybox\",\"HostConfig\":{\"Mounts\":[null]}}").hostConfig().storage().mounts();
    assertEquals(1, mounts.size());
    assertEquals("", mounts.getFirst().target());
  }

  @Test
  void bindsMountsTmpfsVolumesFromAndShmSizeAreRead() {
    var r = create("""
        {"Image":"busybox","HostConfig":{"Binds":["data:/data:ro","/host:/h"],"Tmpfs":{"/run":"size=1m","/tmp":""},
         "VolumesFrom":["other:ro"],"ShmSize":1048576,"VolumeDriver":"",
         "Mounts":[{"Type":"bind","Source":"/src","Target":"/dst","ReadOnly":true,
                    "BindOptions":{"Propagation":"rslave","NonRecursive":true}},
                   {"Type":"volume","Source":"v","Target":"/v","VolumeOptions":{"NoCopy":true,"Labels":{"a":"b"},
                    "DriverConfig":{"Name":"local","Options":{"type":"tmpfs","device":"tmpfs"}}}},
                   {"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":65536,"Mode":1023}}]}}
        """);
    var s = r.hostConfig().storage();
    assertEquals(List.of("data:/data:ro", "/host:/h"), s.binds());
    assertEquals(List.of("/run", "/tmp"), List.copyOf(s.tmpfs().keySet()), "in the order given");
    assertEquals(List.of("other:ro"), s.volumesFrom());
    assertEquals(1048576, s.shmSize());
    var bind = s.mounts().get(0);
    assertEquals("rslave", bind.bindOptions().propagation());
    assertTrue(bind.bindOptions().nonRecursive());
    assertTrue(bind.readOnly());
    var vol = s.mounts().get(1).volumeOptions();
    assertTrue(vol.noCopy());
    assertEquals("local", vol.driverName());
    assertEquals(Map.of("type", "tmpfs", "device", "tmpfs"), vol.driverOptions());
    assertEquals(01777, s.mounts().get(2).tmpfsOptions().mode());
  }

  @Test
  void inspectEchoesTheStorageOptionsWithGoOmitempty() throws IOException {
    var r = create("""
        {"Image":"busybox","HostConfig":{"Binds":["data:/data"],
         "Mounts":[{"Type":"tmpfs","Target":"/t","TmpfsOptions":{"SizeBytes":65536}}]}}
        """);
    Container c = container(ContainerState.Created.FRESH);
    c = c.withHostConfig(c.hostConfig().withStorage(r.hostConfig().storage()));
    var ctx = new InspectContext(Path.of("/c"), List.of(), "runc", AppArmor.disabled(),
        NOW, null, List.of(), "");
    JsonNode hc = json(inspect(c, ctx)).get("HostConfig");
    assertEquals("[\"data:/data\"]", hc.get("Binds").toString());
    assertEquals("[{\"Type\":\"tmpfs\",\"Target\":\"/t\",\"TmpfsOptions\":{\"SizeBytes\":65536}}]",
        hc.get("Mounts").toString());
    assertFalse(hc.has("Tmpfs"), "omitted when empty");
    assertTrue(hc.get("VolumesFrom").isNull());
    assertEquals(67108864, hc.get("ShmSize").asLong(), "dockerd's default when none was asked for");
  }

  @Test
  void mountsAreReportedAsDockerdReportsThem() throws IOException {
    Container c = container(ContainerState.Created.FRESH);
    c = new Container(c.id(), c.name(), c.created(), c.imageId(), c.config(), c.hostConfig(), c.state(), 0, List.of(
        new MountPoint(MountType.VOLUME, "data", "/var/lib/berth/volumes/data/_data", "/data", "local", "z", true, "",
            false, true, false, false, null),
        new MountPoint(MountType.BIND, null, "/host", "/b", null, "ro", false, "rprivate", false, false, false, true,
            null),
        new MountPoint(MountType.TMPFS, null, null, "/t", null, "", true, "", false, false, false, false, "")));
    JsonNode mounts = json(ContainerTranslator.summary(c, NOW, null, null)).get("Mounts");
    assertEquals("""
        [{"Type":"bind","Source":"/host","Destination":"/b","Mode":"ro","RW":false,"Propagation":"rprivate"},\
        {"Type":"volume","Name":"data","Source":"/var/lib/berth/volumes/data/_data","Destination":"/data",\
        "Driver":"local","Mode":"z","RW":true,"Propagation":""},\
        {"Type":"tmpfs","Source":"","Destination":"/t","Mode":"","RW":true,"Propagation":""}]""", mounts.toString());
  }

  @Test
  void pathStatHeaderIsBase64JsonWithGoModeBits() {
    var st = new PathStat("etc", 4096, FileMode.DIR | 0755, Instant.parse("2025-01-02T03:04:05.5Z"), "");
    String json = new String(java.util.Base64.getDecoder().decode(ContainerTranslator.pathStatHeader(st)),
        StandardCharsets.UTF_8);
    assertEquals("{\"name\":\"etc\",\"size\":4096,\"mode\":2147484141,\"mtime\":\"2025-01-02T03:04:05.5Z\","
        + "\"linkTarget\":\"\"}", json);
  }

  @Test
  void archivePathIsRequiredWithMobysWords() {
    assertEquals("bad parameter: pathcannot be empty", assertThrows(InvalidArgumentException.class,
        () -> ContainerTranslator.archivePath(java.util.Optional.of(""))).getMessage());
  }

  @Test
  void commitReadsRepoTagPauseAndANullBody() {
    var r = ContainerTranslator.commitRequest("null".getBytes(StandardCharsets.UTF_8), "me/app", "v2", "a", "c",
        List.of("CMD [\"x\"]"), java.util.Optional.empty());
    assertNull(r.config());
    assertEquals("docker.io/me/app:v2", r.tag().toString());
    assertTrue(r.pause(), "pause defaults to true");
    var noTag = ContainerTranslator.commitRequest(new byte[0], "", "", "", "", List.of(), java.util.Optional.of("0"));
    assertNull(noTag.tag());
    assertFalse(noTag.pause());
    var withConfig = ContainerTranslator.commitRequest("{\"Cmd\":[\"sh\"]}".getBytes(StandardCharsets.UTF_8), "x",
        "", "", "", List.of(), java.util.Optional.empty());
    assertEquals(List.of("sh"), withConfig.config().cmd());
    assertEquals("docker.io/library/x:latest", withConfig.tag().toString());
  }

  private static List<String> texts(JsonNode array) {
    var out = new java.util.ArrayList<String>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  // ---- issue 11: namespace modes, isolation, annotations, storage options

  @Test
  void namespaceModesAreReadAndEchoedByInspectAsGiven() throws IOException {
    var r = create("""
        {"Image":"busybox","HostConfig":{"PidMode":"host","IpcMode":"shareable","UTSMode":"host",
         "UsernsMode":"host","Isolation":"default","Annotations":{"b":"2","a":"1"},"StorageOpt":{}}}
        """);
    var n = r.hostConfig().namespaces();
    assertEquals(List.of("host", "shareable", "host", "host", "default"),
        List.of(n.pidMode(), n.ipcMode(), n.utsMode(), n.usernsMode(), n.isolation()));
    Container c = container(ContainerState.Created.FRESH);
    c = c.withHostConfig(c.hostConfig().withNamespaces(n));
    var ctx = new InspectContext(Path.of("/c"), List.of(), "runc", AppArmor.disabled(), NOW, null, List.of(), "");
    JsonNode hc = json(inspect(c, ctx)).get("HostConfig");
    assertEquals("host shareable host host default", hc.get("PidMode").asText() + " " + hc.get("IpcMode").asText()
        + " " + hc.get("UTSMode").asText() + " " + hc.get("UsernsMode").asText() + " " + hc.get("Isolation").asText());
    assertEquals("{\"a\":\"1\",\"b\":\"2\"}", hc.get("Annotations").toString(), "a Go map: sorted keys");
    assertFalse(hc.has("StorageOpt"), "omitempty");
  }

  @Test
  void aContainerWithoutModesShowsDockerdsDefaults() throws IOException {
    JsonNode hc = inspect(ContainerState.Created.FRESH, false).get("HostConfig");
    assertEquals("private", hc.get("IpcMode").asText());
    assertEquals("", hc.get("PidMode").asText());
    assertEquals("", hc.get("Cgroup").asText());
    assertFalse(hc.has("Annotations"), "omitempty");
  }

  @Test
  void storageOptionsAreRefusedAsOverlay2WithoutProjectQuotaRefusesThem() {
    var size = assertThrows(dev.berth.core.error.InternalException.class,
        () -> create("{\"Image\":\"busybox\",\"HostConfig\":{\"StorageOpt\":{\"size\":\"1G\"}}}"));
    assertEquals("--storage-opt is supported only for overlay over xfs with 'pquota' mount option", size.getMessage());
    var other = assertThrows(dev.berth.core.error.InternalException.class,
        () -> create("{\"Image\":\"busybox\",\"HostConfig\":{\"StorageOpt\":{\"Inodes\":\"5\"}}}"));
    assertEquals("Unknown option inodes", other.getMessage());
  }

  @Test
  void aBadModeIsABadRequest() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> create("{\"Image\":\"busybox\",\"HostConfig\":{\"Isolation\":\"process\"}}"));
    assertEquals("invalid isolation (process): linux only supports 'default'", e.getMessage());
  }

  // ---- issue 11: Ulimits, Sysctls, Devices, DeviceCgroupRules, GroupAdd, OomScoreAdj

  @Test
  void processFieldsOfACreateBodyAreKeptAndShownAsDockerdShowsThem() throws IOException {
    var p = create("""
        {"Image":"busybox","HostConfig":{"Ulimits":[{"Name":"nofile","Soft":512,"Hard":1024}],
         "Sysctls":{"net.ipv4.ip_forward":"1","kernel.shmmax":"4096"},
         "Devices":[{"PathOnHost":"/dev/null","PathInContainer":"/dev/mynull","CgroupPermissions":"r"}],
         "DeviceCgroupRules":["c 1:3 mr"],"GroupAdd":["audio","1234"],"OomScoreAdj":-200}}
        """).hostConfig().process();
    assertEquals(List.of(new dev.berth.core.container.model.ProcessOptions.Ulimit("nofile", 512, 1024)), p.ulimits());
    assertEquals(List.of("net.ipv4.ip_forward", "kernel.shmmax"), List.copyOf(p.sysctls().keySet()), "in order");
    assertEquals(List.of(new dev.berth.core.container.model.ProcessOptions.DeviceMapping("/dev/null", "/dev/mynull",
        "r")), p.devices());
    assertEquals(List.of("c 1:3 mr"), p.deviceCgroupRules());
    assertEquals(List.of("audio", "1234"), p.groupAdd());
    assertEquals(-200, p.oomScoreAdj());

    Container c = container(ContainerState.Created.FRESH);
    c = c.withHostConfig(c.hostConfig().withProcess(p));
    var ctx = new InspectContext(Path.of("/c"), List.of(), "runc", AppArmor.disabled(), NOW, null, List.of(), "");
    JsonNode hc = json(inspect(c, ctx)).get("HostConfig");
    assertEquals("[{\"Name\":\"nofile\",\"Hard\":1024,\"Soft\":512}]", hc.get("Ulimits").toString(),
        "go-units' order");
    assertEquals("{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"4096\"}", hc.get("Sysctls").toString());
    assertEquals("[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/mynull\",\"CgroupPermissions\":\"r\"}]",
        hc.get("Devices").toString());
    assertEquals(List.of("c 1:3 mr"), texts(hc.get("DeviceCgroupRules")));
    assertEquals(List.of("audio", "1234"), texts(hc.get("GroupAdd")));
    assertEquals(-200, hc.get("OomScoreAdj").asInt());

    JsonNode plain = inspect(ContainerState.Created.FRESH, false).get("HostConfig");
    assertTrue(plain.get("Ulimits").isNull());
    assertFalse(plain.has("Sysctls"), "omitempty in moby's HostConfig");
    assertEquals("[]", plain.get("Devices").toString());
    assertTrue(plain.get("DeviceCgroupRules").isNull());
    assertTrue(plain.get("GroupAdd").isNull());
    assertEquals(0, plain.get("OomScoreAdj").asInt());
  }

  @Test
  void anOomScoreOutOfRangeIsRefusedAtCreate() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> create("{\"Image\":\"busybox\",\"HostConfig\":{\"OomScoreAdj\":1001}}"));
    assertEquals("Invalid value 1001, range for oom score adj is [-1000, 1000]", e.getMessage());
  }
}
