package dev.berth.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * The training run for berthd's JDK AOT cache (JEP 483/514/515): {@code ./berthd} runs it once per
 * build with {@code -XX:AOTCacheOutput}, on a private data root, exec root, socket and cgroup
 * parent, and starts berthd with {@code -XX:AOTCache} from then on. It starts the engine as
 * berthd does, answers the requests a client makes first ({@code docker version}, {@code info},
 * {@code ps}, {@code images}) through its own socket, then imports an image of the host's busybox
 * and, as the docker CLI does, runs {@code docker run --rm --network none} of it, and a
 * {@code docker run -d} with a {@code docker exec}, {@code logs}, {@code stop} and {@code rm},
 * and stops. The classes loaded and linked on those paths, and their profiles, are what the cache
 * holds, so a start with it skips most of their loading and the first run or exec after a start
 * most of its first-time work (issue 15). The runs are best effort: a host without a static
 * busybox or a runtime still trains the rest. Takes berthd's own flags.
 */
public final class AotTraining {

  private static final List<String> REQUESTS = List.of("/_ping", "/v1.51/version", "/v1.51/info",
      "/v1.51/containers/json?all=1", "/v1.51/images/json", "/v1.51/networks", "/v1.51/volumes",
      "/v1.51/containers/none/json", "/v1.51/events?until=1");
  private static final String IMAGE = "berth-aot-training:latest";
  /** What docker CLI 28 sends for {@code docker run --rm --network none IMAGE /true}. */
  private static final String CREATE = """
      {"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,\
      "Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["/true"],"Image":"%s","Volumes":{},\
      "WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{},"HostConfig":{"Binds":null,\
      "ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"none","PortBindings":{},\
      "RestartPolicy":{"Name":"no","MaximumRetryCount":0},"AutoRemove":true,"VolumeDriver":"",\
      "VolumesFrom":null,"ConsoleSize":[0,0],"CapAdd":null,"CapDrop":null,"CgroupnsMode":"","Dns":[],\
      "DnsOptions":[],"DnsSearch":[],"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","Cgroup":"","Links":null,\
      "OomScoreAdj":0,"PidMode":"","Privileged":false,"PublishAllPorts":false,"ReadonlyRootfs":false,\
      "SecurityOpt":null,"UTSMode":"","UsernsMode":"","ShmSize":0,"Isolation":"","CpuShares":0,"Memory":0,\
      "NanoCpus":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"BlkioDeviceReadBps":[],\
      "BlkioDeviceWriteBps":[],"BlkioDeviceReadIOps":[],"BlkioDeviceWriteIOps":[],"CpuPeriod":0,"CpuQuota":0,\
      "CpuRealtimePeriod":0,"CpuRealtimeRuntime":0,"CpusetCpus":"","CpusetMems":"","Devices":[],\
      "DeviceCgroupRules":null,"DeviceRequests":null,"MemoryReservation":0,"MemorySwap":0,\
      "MemorySwappiness":-1,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[],"CpuCount":0,"CpuPercent":0,\
      "IOMaximumIOps":0,"IOMaximumBandwidth":0,"MaskedPaths":null,"ReadonlyPaths":null},\
      "NetworkingConfig":{"EndpointsConfig":{}}}""".formatted(IMAGE);
  private static final Pattern ID = Pattern.compile("\"Id\":\"([0-9a-f]{64})\"");
  private static final int RUNS = 3;
  private static final Duration RUNS_TIMEOUT = Duration.ofSeconds(60);

  private AotTraining() {}

  public static void main(String[] args) throws IOException {
    DaemonConfig config;
    try {
      config = DaemonConfig.parse(List.of(args));
    } catch (DaemonConfig.UsageException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logLevel());
    try (Main.Engine engine = Main.Engine.start(config)) {
      Path socket = config.socket();
      for (int round = 0; round < 3; round++) {
        for (String path : REQUESTS) {
          request(socket, "GET", path, null);
        }
      }
      request(socket, "POST", "/v1.51/images/create?fromSrc=-&repo=" + IMAGE, rootfs());
      // On a thread of its own, so that a run that never ends cannot hold the training up: its
      // containers are removed all the same before the engine stops (which leaves containers running).
      var created = new ConcurrentLinkedQueue<String>();
      Thread runs = Thread.ofPlatform().name("aot-training-runs").daemon().start(() -> {
        try {
          for (int i = 0; i < RUNS; i++) {
            run(socket, created);
          }
          for (int i = 0; i < RUNS; i++) {
            runDetachedAndExec(socket, created);
          }
        } catch (IOException e) {
          // the runs are best effort
        }
      });
      runs.join(RUNS_TIMEOUT);
      for (String container : created) {
        request(socket, "DELETE", container + "?force=1", null);
      }
      request(socket, "DELETE", "/v1.51/images/" + IMAGE + "?force=1", null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(0);
  }

  /** {@code docker run --rm --network none IMAGE /true}, in the CLI's order of calls. */
  private static void run(Path socket, Collection<String> created) throws IOException {
    request(socket, "HEAD", "/_ping", null);
    Matcher id = ID.matcher(request(socket, "POST", "/v1.51/containers/create", json(CREATE)));
    if (!id.find()) {
      return;
    }
    String container = "/v1.51/containers/" + id.group(1);
    created.add(container);
    try (SocketChannel attach = open(socket); SocketChannel wait = open(socket)) {
      send(attach, "POST", container + "/attach?stderr=1&stdout=1&stream=1", null, "Upgrade: tcp\r\n");
      send(wait, "POST", container + "/wait?condition=removed", null, "");
      request(socket, "POST", container + "/start", null);
      readToEnd(attach);
      readToEnd(wait);
    }
  }

  /**
   * {@code docker run -d --network none IMAGE /sleep 30}, then {@code docker exec} of {@code /true}
   * in it, {@code docker logs}, {@code docker stop -t 0} and {@code docker rm}, in the CLI's calls.
   */
  private static void runDetachedAndExec(Path socket, Collection<String> created) throws IOException {
    Matcher id = ID.matcher(request(socket, "POST", "/v1.51/containers/create", json(CREATE
        .replace("\"AttachStdout\":true,\"AttachStderr\":true", "\"AttachStdout\":false,\"AttachStderr\":false")
        .replace("[\"/true\"]", "[\"/sleep\",\"30\"]").replace("\"AutoRemove\":true", "\"AutoRemove\":false"))));
    if (!id.find()) {
      return;
    }
    String container = "/v1.51/containers/" + id.group(1);
    created.add(container);
    request(socket, "POST", container + "/start", null);
    request(socket, "GET", container + "/json", null);
    Matcher exec = ID.matcher(request(socket, "POST", container + "/exec",
        json("{\"AttachStdin\":false,\"AttachStdout\":true,\"AttachStderr\":true,\"Tty\":false,\"Cmd\":[\"/true\"]}")));
    if (exec.find()) {
      request(socket, "POST", "/v1.51/exec/" + exec.group(1) + "/start", json("{\"Detach\":false,\"Tty\":false}"),
          "Upgrade: tcp\r\n");
      request(socket, "GET", "/v1.51/exec/" + exec.group(1) + "/json", null);
    }
    request(socket, "GET", container + "/logs?stdout=1&stderr=1", null);
    request(socket, "POST", container + "/stop?t=0", null);
    request(socket, "DELETE", container, null);
  }

  private static byte[] json(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A root filesystem of the host's busybox as {@code /true} and {@code /sleep}, which it runs as
   * the applets of those names; an empty file where there is none (the runs then fail at their start).
   */
  private static byte[] rootfs() throws IOException {
    Path busybox = Stream.of("/bin/busybox", "/usr/bin/busybox").map(Path::of).filter(Files::isRegularFile)
        .findFirst().orElse(null);
    byte[] content = busybox == null ? new byte[0] : Files.readAllBytes(busybox);
    var out = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(out)) {
      var entry = new TarArchiveEntry("true");
      entry.setMode(0100755);
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
      var sleep = new TarArchiveEntry("sleep", TarConstants.LF_LINK);
      sleep.setLinkName("true");
      tar.putArchiveEntry(sleep);
      tar.closeArchiveEntry();
    }
    return out.toByteArray();
  }

  /** One request on its own connection, read to the end; the answer's text. */
  private static String request(Path socket, String method, String path, byte[] body) throws IOException {
    return request(socket, method, path, body, "");
  }

  private static String request(Path socket, String method, String path, byte[] body, String headers)
      throws IOException {
    try (SocketChannel ch = open(socket)) {
      send(ch, method, path, body, headers);
      return readToEnd(ch);
    }
  }

  private static SocketChannel open(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    return ch;
  }

  private static void send(SocketChannel ch, String method, String path, byte[] body, String headers)
      throws IOException {
    String type = body != null && body.length > 0 && body[0] == '{' ? "application/json" : "application/x-tar";
    String head = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n" + headers
        + (body == null ? "" : "Content-Type: " + type + "\r\nContent-Length: " + body.length + "\r\n") + "\r\n";
    ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
    if (body != null) {
      ByteBuffer b = ByteBuffer.wrap(body);
      while (b.hasRemaining()) {
        ch.write(b);
      }
    }
  }

  private static String readToEnd(SocketChannel ch) throws IOException {
    var out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(8192);
    while (ch.read(buf) >= 0) {
      out.write(buf.array(), 0, buf.position());
      buf.clear();
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
