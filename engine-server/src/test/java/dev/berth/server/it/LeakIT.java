package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * 200 create/start/remove cycles leave nothing behind: in berthd no file descriptor and no thread
 * more than before them (after a settling time), on the host no monitor, mount, cgroup, namespace,
 * lease, bridge port or iptables rule. Most cycles have no network; every tenth is on the bridge.
 * Half the containers exit by themselves (racing the removal), half are killed by it. Four clients
 * cycle at once, as on a busy daemon (and to keep the test well under a minute).
 */
class LeakIT extends WithBerthd {

  private static final int WARM_UP = 10;
  private static final int CYCLES = 200;
  private static final int CLIENTS = 4;
  /** Threads berthd's pools may keep or drop as they please (carriers, compiler threads). */
  private static final int THREAD_SLACK = 6;
  private static final Pattern ID = Pattern.compile("\"Id\":\"([0-9a-f]{64})\"");

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void createStartRemoveCyclesLeaveNothingBehind() {
    var host = new HostResidue(daemon);
    String subnet = docker.run("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Subnet}}")
        .ok().line();
    Set<String> made = ConcurrentHashMap.newKeySet();
    // Pools and caches that berthd fills on first use are filled before counting.
    cycles(0, WARM_UP, made);
    Map<String, String> fdsBefore = fds();
    List<String> threadsBefore = threads();

    cycles(WARM_UP, CYCLES, made);

    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(45).toNanos();
    while ((fds().size() > fdsBefore.size() || threads().size() > threadsBefore.size() + THREAD_SLACK)
        && System.nanoTime() < deadline) {
      Poll.pause();
    }
    Map<String, String> fdsAfter = fds();
    fdsAfter.keySet().removeAll(fdsBefore.keySet());
    assertTrue(fds().size() <= fdsBefore.size(), "berthd had " + fdsBefore.size() + " fds, now " + fds().size()
        + "; new ones: " + fdsAfter);
    List<String> threadsAfter = threads();
    assertTrue(threadsAfter.size() <= threadsBefore.size() + THREAD_SLACK, "berthd had " + threadsBefore.size()
        + " threads, now " + threadsAfter.size() + ": " + threadsAfter);
    List<String> left = host.disagreements(Map.of(), made, subnet);
    assertTrue(left.isEmpty(), "after " + CYCLES + " cycles:\n" + String.join("\n", left));
  }

  /** Cycles {@code first} to {@code first + count - 1}, on a few clients at once, as a busy daemon sees them. */
  private static void cycles(int first, int count, Set<String> made) {
    var workers = new ArrayList<CompletableFuture<Void>>();
    for (int w = 0; w < CLIENTS; w++) {
      int worker = w;
      workers.add(CompletableFuture.runAsync(() -> {
        for (int i = first + worker; i < first + count; i += CLIENTS) {
          made.add(cycle(i));
        }
      }, r -> Thread.ofVirtual().start(r)));
    }
    workers.forEach(CompletableFuture::join);
  }

  /** One container created, started and removed with force, through the API; returns its id. */
  private static String cycle(int i) {
    String network = i % 10 == 0 ? "bridge" : "none";
    String cmd = i % 2 == 0 ? "[\"true\"]" : "[\"sleep\",\"60\"]";
    String created = daemon.http("POST", "/containers/create", "{\"Image\":\"busybox\",\"Cmd\":" + cmd
        + ",\"HostConfig\":{\"NetworkMode\":\"" + network + "\"}}");
    Matcher m = ID.matcher(created);
    assertTrue(created.startsWith("HTTP/1.1 201") && m.find(), "create: " + created);
    String id = m.group(1);
    String started = daemon.http("POST", "/containers/" + id + "/start", null);
    assertTrue(started.startsWith("HTTP/1.1 204"), "start: " + started);
    String removed = daemon.http("DELETE", "/containers/" + id + "?force=1", null);
    assertTrue(removed.startsWith("HTTP/1.1 204"), "remove: " + removed);
    return id;
  }

  /** berthd's open file descriptors, number to what each is. */
  private static Map<String, String> fds() {
    var out = new TreeMap<String, String>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(daemon.pid()), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          out.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list berthd's fds", e);
    }
    return out;
  }

  /** berthd's threads, by name. */
  private static List<String> threads() {
    var out = new ArrayList<String>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(daemon.pid()), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          out.add(Files.readString(task.resolve("comm")).strip());
        } catch (IOException e) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new AssertionError("cannot list berthd's threads", e);
    }
    out.sort(null);
    return out;
  }
}
