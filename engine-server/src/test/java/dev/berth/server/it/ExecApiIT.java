package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: where clients found berth's exec, attach, commit, volume prune, forced remove and
 * log config differing from dockerd, through the docker CLI, docker-py and the raw API.
 */
class ExecApiIT extends WithBerthd {

  private static final Pattern EXEC_ID = Pattern.compile("\"Id\":\"([0-9a-f]{64})\"");

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String execCreate(String container, String body) {
    String answer = daemon.http("POST", "/v1.51/containers/" + container + "/exec", body);
    var m = EXEC_ID.matcher(answer);
    assertTrue(m.find(), answer);
    return m.group(1);
  }

  @Test
  void commitOfAnExitedContainerAndOfOneExitingMeanwhile() {
    docker.run("run", "--name", "committed", "busybox", "sh", "-c", "echo hi > /f").ok();
    docker.run("commit", "committed", "committed-img").ok();
    assertEquals("hi\n", docker.run("run", "--rm", "committed-img", "cat", "/f").ok().out());
    for (int i = 0; i < 5; i++) {
      // A pause that finds the container gone is ignored, as dockerd ignores it.
      String id = docker.run("run", "-d", "busybox", "sh", "-c", "echo " + i + " > /f").ok().line();
      docker.run("commit", id, "exiting-img").ok();
      docker.run("rm", "-f", id).ok();
    }
    docker.run("rm", "committed").ok();
  }

  @Test
  void aTtyExecGivesExactlyItsOutputAndTheTerminalsSize() throws Exception {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    assertEquals("hi\r\n", docker.run("exec", "-t", id, "echo", "hi").ok().out());
    try (var t = Terminal.start(daemon, "execsize", "exec", "-t", id, "stty", "size")) {
      t.awaitScreen("cli-exit-", Duration.ofSeconds(20));
      assertTrue(t.screen().contains("30 100"), t.screen());
      assertTrue(t.screen().contains("cli-exit-0"), t.screen());
    }
    String py = """
        import docker, sys
        c = docker.DockerClient(base_url=sys.argv[1]).containers.get(sys.argv[2])
        r = c.exec_run(["echo", "hi"], tty=True)
        print(repr(r.output), r.exit_code)
        """;
    Process p = new ProcessBuilder("python3", "-c", py, "unix://" + daemon.socket, id).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals("b'hi\\r\\n' 0", out.strip(), out);
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void theStartsTtyDecidesTheFramingAndAResizeRacingTheStartIsTaken() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    // Made with a TTY, started without: dockerd frames the TTY's output as stdout.
    String tty = execCreate(id, "{\"Cmd\":[\"echo\",\"hi\"],\"Tty\":true,\"AttachStdout\":true}");
    String framed = daemon.http("POST", "/v1.51/exec/" + tty + "/start", "{\"Tty\":false}");
    String body = framed.substring(framed.indexOf("\r\n\r\n") + 4);
    assertEquals("\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0004hi\r\n", body, framed);
    // Made without a TTY, started with one: raw, and the stderr dockerd has no writer for is dropped.
    String plain = execCreate(id, "{\"Cmd\":[\"sh\",\"-c\",\"echo out; echo err >&2\"],\"AttachStdout\":true,"
        + "\"AttachStderr\":true}");
    String raw = daemon.http("POST", "/v1.51/exec/" + plain + "/start", "{\"Tty\":true}");
    assertEquals("out\n", raw.substring(raw.indexOf("\r\n\r\n") + 4), raw);

    String sized = execCreate(id, "{\"Cmd\":[\"sh\",\"-c\",\"sleep 1; stty size\"],\"Tty\":true,\"AttachStdout\":true,"
        + "\"ConsoleSize\":[20,70]}");
    var started = CompletableFuture.supplyAsync(() -> daemon.http("POST", "/v1.51/exec/" + sized + "/start",
        "{\"Tty\":true}"));
    String resized = daemon.http("POST", "/v1.51/exec/" + sized + "/resize?h=33&w=111", null);
    assertTrue(resized.startsWith("HTTP/1.1 200"), resized);
    String size = started.join();
    assertTrue(size.endsWith("33 111\r\n"), size);
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void detachKeysEndAnExecsStreamAndTheProcessGoesOn() throws Exception {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    try (var t = Terminal.start(daemon, "execdetach", "exec", "-it", id, "sh")) {
      t.awaitScreen("#", Duration.ofSeconds(20));
      t.keys("echo typed-$((40+2))", "Enter");
      t.awaitScreen("typed-42", Duration.ofSeconds(10));
      t.keys("C-p", "C-q");
      t.awaitScreen("cli-exit-", Duration.ofSeconds(10));
    }
    // The CLI sends the detach keys of its config file with the exec: ctrl-p then reaches the shell.
    java.nio.file.Path config = daemon.dir.resolve("docker-config/config.json");
    java.nio.file.Files.writeString(config, "{\"detachKeys\":\"ctrl-x\"}");
    try (var t = Terminal.start(daemon, "execdetachx", "exec", "-it", id, "sh")) {
      t.awaitScreen("#", Duration.ofSeconds(20));
      t.keys("C-p", "C-q");
      t.keys("echo still-$((1+1))", "Enter");
      t.awaitScreen("still-2", Duration.ofSeconds(10));
      t.keys("C-x");
      t.awaitScreen("cli-exit-", Duration.ofSeconds(10));
    } finally {
      java.nio.file.Files.delete(config);
    }
    assertTrue(docker.run("top", id).ok().out().lines().filter(l -> l.endsWith(" sh")).count() >= 2,
        "both detached shells run on");
    // Through the API: the daemon watches the TTY's input for the keys the exec was made with.
    String exec = execCreate(id, "{\"Cmd\":[\"sh\"],\"Tty\":true,\"AttachStdin\":true,\"AttachStdout\":true,"
        + "\"DetachKeys\":\"ctrl-x\"}");
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      String start = "POST /v1.51/exec/" + exec + "/start HTTP/1.1\r\nHost: berth\r\nConnection: Upgrade\r\n"
          + "Upgrade: tcp\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{\"Tty\":true}";
      ch.write(ByteBuffer.wrap(start.getBytes(StandardCharsets.UTF_8)));
      InputStream in = Channels.newInputStream(ch);
      ch.write(ByteBuffer.wrap("echo a-$((1+1))\n".getBytes(StandardCharsets.UTF_8)));
      String seen = readUntil(in, "a-2");
      assertTrue(seen.startsWith("HTTP/1.1 101"), seen);
      ch.write(ByteBuffer.wrap(new byte[] {24}));
      var rest = CompletableFuture.supplyAsync(() -> {
        try {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      rest.get(10, TimeUnit.SECONDS);
    }
    String inspect = daemon.http("GET", "/v1.51/exec/" + exec + "/json", null);
    assertTrue(inspect.contains("\"Running\":true"), "the shell runs on after the detach: " + inspect);
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void anExecThatCannotStartRecordsDockerdsExitCodeAndWords() {
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    var missing = docker.run("exec", id, "nope");
    assertEquals(127, missing.exit(), missing.stderr());
    assertEquals("OCI runtime exec failed: exec failed: unable to start container process: exec: \"nope\": "
        + "executable file not found in $PATH: unknown\r\n", missing.out() + missing.stderr());
    var directory = docker.run("exec", id, "/etc");
    assertEquals(126, directory.exit(), directory.stderr());
    assertTrue((directory.out() + directory.stderr()).contains("\"/etc\": is a directory: unknown: permission denied"),
        directory.out() + directory.stderr());
    String exec = execCreate(id, "{\"Cmd\":[\"/etc/passwd\"],\"AttachStdout\":true}");
    daemon.http("POST", "/v1.51/exec/" + exec + "/start", "{}");
    String inspect = daemon.http("GET", "/v1.51/exec/" + exec + "/json", null);
    assertTrue(inspect.contains("\"ExitCode\":126"), inspect);
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void volumePruneTakesAnonymousVolumesUnlessAll() {
    docker.run("volume", "create", "kept-named").ok();
    docker.run("run", "--name", "anon", "-v", "/data", "busybox", "true").ok();
    String anon = docker.run("inspect", "--format", "{{(index .Mounts 0).Name}}", "anon").ok().line();
    docker.run("rm", "anon").ok();
    String pruned = docker.run("volume", "prune", "-f").ok().out();
    assertTrue(pruned.contains(anon) && !pruned.contains("kept-named"), pruned);
    assertTrue(docker.run("volume", "prune", "-f", "--all").ok().out().contains("kept-named"));
  }

  @Test
  void aForcedRemoveAnswersAfterTheLogFollowsHaveEnded() throws Exception {
    String id = docker.run("run", "-d", "busybox", "sh", "-c", "echo started; sleep 300").ok().line();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      ch.write(ByteBuffer.wrap(("GET /v1.51/containers/" + id + "/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: berth\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8)));
      InputStream in = Channels.newInputStream(ch);
      readUntil(in, "started");
      docker.run("rm", "-f", id).ok();
      // The follow has ended by now: what remains is already here, then end of stream.
      var end = CompletableFuture.supplyAsync(() -> {
        try {
          return in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      assertArrayEquals(new byte[0], end.get(1, TimeUnit.SECONDS));
    }
  }

  @Test
  void logConfigIsCheckedAtCreateInDockerdsWords() {
    docker.run("run", "--rm", "--log-driver", "json-file", "busybox", "true").ok();
    var bogus = docker.run("run", "--rm", "--log-driver", "bogus", "busybox", "true");
    assertEquals(125, bogus.exit());
    assertTrue(bogus.stderr().contains("error looking up logging plugin bogus: plugin \"bogus\" not found"),
        bogus.stderr());
    var opt = docker.run("create", "--log-opt", "x=1", "busybox");
    assertTrue(opt.stderr().contains("unknown log opt 'x' for json-file log driver"), opt.stderr());
    // Options json-file has are honoured now (LogDriversIT shows their effect).
    String sized = docker.run("create", "--log-opt", "max-size=10m", "busybox").ok().line();
    docker.run("rm", sized).ok();
  }

  private static String readUntil(InputStream in, String what) throws IOException {
    var seen = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    while (!seen.toString(StandardCharsets.UTF_8).contains(what)) {
      int n = in.read(buf);
      if (n < 0) {
        throw new AssertionError("stream ended before \"" + what + "\": " + seen.toString(StandardCharsets.UTF_8));
      }
      seen.write(buf, 0, n);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }
}
