package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP as every client speaks it (issue 11), on raw connections to the daemon's socket:
 * {@code Connection: close} ends the connection right after the answer (Testcontainers' reaper
 * reads to end of stream), HTTP/1.0 is answered and then the connection closed, an unreadable body
 * is a 400, a kept-alive connection serves request after request, and the Swarm API answers as a
 * Docker engine outside a swarm.
 */
class HttpIT extends WithBerthd {

  private static final Duration EOF_WITHIN = Duration.ofSeconds(10);
  private static final String NOT_A_MANAGER = "This node is not a swarm manager. Use \"docker swarm init\" or "
      + "\"docker swarm join\" to connect this node to swarm and try again.";

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void connectionCloseEndsTheConnectionAfterTheAnswerOnEveryRoute() {
    for (String path : new String[] {"/_ping", "/version", "/v1.41/containers/json", "/no/such/route",
        "/containers/ghost/json", "/events?since=0&until=1"}) {
      String r = untilEof("GET " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
      assertTrue(r.startsWith("HTTP/1.1 "), r);
      assertTrue(r.toLowerCase().contains("connection: close\r\n"), r);
    }
    String ping = untilEof("GET /_ping HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n\r\n");
    assertTrue(ping.endsWith("\r\n\r\nOK"), "nothing after the answer: " + ping);
  }

  @Test
  void aFollowedLogStreamClosesTheConnectionWhenItEnds() {
    String id = docker.run("run", "-d", "busybox", "sh", "-c", "echo streamed; sleep 1").ok().line();
    String r = untilEof("GET /containers/" + id + "/logs?follow=1&stdout=1 HTTP/1.1\r\nHost: docker\r\n"
        + "Connection: close\r\n\r\n");
    assertTrue(r.startsWith("HTTP/1.1 200"), r);
    assertTrue(r.endsWith("streamed\n"), "the stream ends with the container, then the connection: " + r);
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void http10IsAnsweredAndTheConnectionClosed() {
    String ping = untilEof("GET /_ping HTTP/1.0\r\n\r\n");
    assertTrue(ping.startsWith("HTTP/1.0 200 OK\r\n"), ping);
    assertTrue(ping.endsWith("\r\n\r\nOK"), ping);
    String version = untilEof("GET /version HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assertTrue(version.startsWith("HTTP/1.0 200 OK\r\n") && version.contains("\"ApiVersion\":\"1.51\""), version);
    String body = "{\"Name\":\"http10vol\"}";
    String volume = untilEof("POST /volumes/create HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: "
        + body.length() + "\r\n\r\n" + body);
    assertTrue(volume.startsWith("HTTP/1.0 201"), volume);
    docker.run("volume", "rm", "http10vol").ok();

    // A streamed answer reaches a 1.0 client without chunked framing, which it does not know.
    String id = docker.run("run", "-d", "busybox", "echo", "unchunked").ok().line();
    docker.run("wait", id).ok();
    String logs = untilEof("GET /containers/" + id + "/logs?stdout=1 HTTP/1.0\r\n\r\n");
    assertTrue(logs.startsWith("HTTP/1.0 200"), logs);
    assertFalse(logs.toLowerCase().contains("transfer-encoding"), logs);
    assertEquals("\u0001\u0000\u0000\u0000\u0000\u0000\u0000\nunchunked\n",
        logs.substring(logs.indexOf("\r\n\r\n") + 4));
    docker.run("rm", id).ok();
  }

  @Test
  void anUnreadableBodyIs400AndClosesTheConnection() {
    String chunked = untilEof("POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
        + "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n");
    assertTrue(chunked.startsWith("HTTP/1.1 400"), chunked);
    assertTrue(chunked.endsWith("{\"message\":\"invalid JSON: invalid byte in chunk length\"}"), chunked);

    String truncated = exchange("POST /containers/create HTTP/1.1\r\nHost: docker\r\nContent-Type: application/json\r\n"
        + "Content-Length: 100\r\n\r\n{\"Image\":", true);
    assertTrue(truncated.startsWith("HTTP/1.1 400"), truncated);
    assertTrue(truncated.endsWith("{\"message\":\"invalid JSON: unexpected EOF\"}"), truncated);
  }

  @Test
  void aKeptAliveConnectionServesRequestAfterRequest() throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      var in = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(ch));
      for (int i = 0; i < 3; i++) {
        ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        String head = head(in);
        assertTrue(head.startsWith("HTTP/1.1 200") && !head.toLowerCase().contains("connection: close"), head);
        assertEquals("OK", new String(in.readNBytes(2), StandardCharsets.US_ASCII));
        Thread.sleep(500);
      }
    }
  }

  @Test
  void swarmRoutesAnswerAsAnEngineOutsideASwarm() {
    for (String path : new String[] {"/swarm", "/nodes", "/v1.41/services", "/tasks", "/secrets", "/configs",
        "/nodes/x", "/services/x", "/tasks/x", "/secrets/x", "/configs/x", "/swarm/unlockkey"}) {
      String r = daemon.http("GET", path, null);
      assertTrue(r.startsWith("HTTP/1.1 503"), path + ": " + r);
      assertTrue(r.endsWith("{\"message\":" + json(NOT_A_MANAGER) + "}"), path + ": " + r);
    }
    assertTrue(daemon.http("POST", "/services/create", "{}").startsWith("HTTP/1.1 503"));
    assertTrue(daemon.http("DELETE", "/v1.51/secrets/x", null).startsWith("HTTP/1.1 503"));
    String leave = daemon.http("POST", "/swarm/leave", null);
    assertTrue(leave.startsWith("HTTP/1.1 503") && leave.endsWith("{\"message\":\"This node is not part of a swarm\"}"),
        leave);
    String init = daemon.http("POST", "/swarm/init", "{}");
    assertTrue(init.startsWith("HTTP/1.1 503") && init.contains("berth does not support swarm mode"), init);
    assertTrue(daemon.http("POST", "/services/x/update?version=x", "{}").startsWith("HTTP/1.1 400"));

    for (String[] cmd : new String[][] {{"node", "ls"}, {"service", "ls"}, {"secret", "ls"}, {"config", "ls"}}) {
      var r = docker.run(cmd);
      assertEquals(1, r.exit(), String.join(" ", cmd));
      assertEquals("Error response from daemon: " + NOT_A_MANAGER, r.stderr().strip(), String.join(" ", cmd));
    }
    assertTrue(docker.run("swarm", "leave").stderr().contains("This node is not part of a swarm"));
    String plugins = daemon.http("GET", "/plugins", null);
    assertTrue(plugins.startsWith("HTTP/1.1 200") && plugins.endsWith("[]"), plugins);
    assertTrue(daemon.http("GET", "/plugins?filters=%7B%22enabled%22%3A%5B%22maybe%22%5D%7D", null)
        .endsWith("{\"message\":\"invalid filter 'enabled=[maybe]'\"}"));
    assertEquals("", docker.run("plugin", "ls", "-q").ok().out().strip());
  }

  @Test
  void infoCountsTheEnginesDescriptorsAndThreads() {
    String[] info = docker.run("info", "--format", "{{.Swarm.LocalNodeState}} {{.NFd}} {{.NGoroutines}}").ok().line()
        .split(" ");
    assertEquals("inactive", info[0]);
    assertTrue(Integer.parseInt(info[1]) > 0, "NFd " + info[1]);
    assertTrue(Integer.parseInt(info[2]) > 0, "NGoroutines " + info[2]);
  }

  @Test
  void aNullLabelIsAnEmptyOne() {
    String created = daemon.http("POST", "/containers/create?name=nulllabel",
        "{\"Image\":\"busybox\",\"Labels\":{\"a\":null,\"b\":\"c\"},\"Cmd\":[\"echo\",null]}");
    assertTrue(created.startsWith("HTTP/1.1 201"), created);
    assertEquals("{\"a\":\"\",\"b\":\"c\"}",
        docker.run("inspect", "--format", "{{json .Config.Labels}}", "nulllabel").ok().line());
    docker.run("rm", "nulllabel").ok();
    String volume = daemon.http("POST", "/volumes/create", "{\"Name\":\"nulllabel\",\"Labels\":{\"a\":null}}");
    assertTrue(volume.startsWith("HTTP/1.1 201") && volume.contains("\"Labels\":{\"a\":\"\"}"), volume);
    docker.run("volume", "rm", "nulllabel").ok();
    String network = daemon.http("POST", "/networks/create", "{\"Name\":\"nulllabel\",\"Labels\":{\"a\":null}}");
    assertTrue(network.startsWith("HTTP/1.1 201"), network);
    assertEquals("{\"a\":\"\"}", docker.run("network", "inspect", "--format", "{{json .Labels}}", "nulllabel").ok().line());
    docker.run("network", "rm", "nulllabel").ok();
    // A null IPAM config is Go's zero one, {}: a pool is allocated.
    String zeroIpam = daemon.http("POST", "/networks/create", "{\"Name\":\"nullipam\",\"IPAM\":{\"Config\":[null]}}");
    assertTrue(zeroIpam.startsWith("HTTP/1.1 201"), zeroIpam);
    docker.run("network", "rm", "nullipam").ok();
  }

  /** dockerode sends its attach options as a JSON body with a length: that is the request's body, not stdin. */
  @Test
  void anAttachRequestsBodyNeverReachesStdin() throws Exception {
    String id = docker.run("create", "-i", "busybox", "sh", "-c", "read -r line; echo \"got $line\"").ok().line();
    String body = "{\"stream\":true,\"stdin\":true,\"stdout\":true,\"hijack\":true}";
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      ch.write(ByteBuffer.wrap(("POST /containers/" + id + "/attach?stream=1&stdin=1&stdout=1 HTTP/1.1\r\n"
          + "Host: docker\r\nContent-Type: application/json\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII)));
      var in = java.nio.channels.Channels.newInputStream(ch);
      String head = head(in);
      assertTrue(head.startsWith("HTTP/1.1 101"), head);
      docker.run("start", id).ok();
      ch.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.US_ASCII)));
      byte[] frame = in.readNBytes(8 + "got hello\n".length());
      assertEquals("got hello\n", new String(frame, 8, frame.length - 8, StandardCharsets.US_ASCII));
    }
    assertEquals("0", docker.run("wait", id).ok().line());
    docker.run("rm", id).ok();
  }

  private static String json(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }

  private static String head(java.io.InputStream in) throws IOException {
    var head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new AssertionError("connection closed after " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** Sends {@code request} and reads everything until the server closes; fails if it does not. */
  private static String untilEof(String request) {
    return exchange(request, false);
  }

  private static String exchange(String request, boolean halfClose) {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(daemon.socket));
      ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1)));
      if (halfClose) {
        ch.shutdownOutput();
      }
      var read = CompletableFuture.supplyAsync(() -> {
        var out = new ByteArrayOutputStream();
        var buf = ByteBuffer.allocate(8192);
        try {
          while (ch.read(buf.clear()) >= 0) {
            out.write(buf.array(), 0, buf.position());
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.ISO_8859_1);
      });
      try {
        return read.get(EOF_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError("no end of stream within " + EOF_WITHIN + " after " + request.lines().findFirst().orElse(""));
      } catch (ExecutionException e) {
        throw new AssertionError(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
