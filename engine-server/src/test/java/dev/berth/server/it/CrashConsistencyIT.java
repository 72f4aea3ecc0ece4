package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * berthd killed (SIGKILL) while 20 {@code docker run -d} race, then started again: every container
 * is either running and recorded so, or torn down and recorded created or exited, and the host
 * (processes, mounts, cgroups, namespaces, runtime state, bridge ports, leases, iptables rules)
 * holds nothing that no running container accounts for. Removing them all then leaves nothing.
 */
class CrashConsistencyIT extends WithBerthd {

  private static final int RUNS = 20;

  @BeforeAll
  static void prepare() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  @Test
  void aKillDuringConcurrentRunsLeavesEachContainerRunningOrTornDown() {
    var host = new HostResidue(daemon);
    String subnet = docker.run("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Subnet}}")
        .ok().line();
    var runs = new ArrayList<CompletableFuture<DockerCli.Result>>();
    for (int i = 0; i < RUNS; i++) {
      // Half without a network, a quarter on the bridge, a quarter publishing a port there too.
      List<String> args = new ArrayList<>(List.of("run", "-d", "--name", "crash-" + i));
      if (i % 2 == 0) {
        args.addAll(List.of("--network", "none"));
      } else if (i % 4 == 1) {
        args.addAll(List.of("-p", "127.0.0.1::80"));
      }
      args.addAll(List.of("busybox", "sleep", "300"));
      runs.add(CompletableFuture.supplyAsync(() -> docker.run(null, Duration.ofSeconds(120),
          args.toArray(String[]::new)), r -> Thread.ofVirtual().start(r)));
    }
    // Mid-way: a few run, others are on their way.
    Poll.until("the first running containers", Duration.ofSeconds(60),
        () -> daemon.http("GET", "/containers/json", null).split("\"Id\"", -1).length > 3);
    daemon.restart(true);
    runs.forEach(CompletableFuture::join);

    Map<String, String> states = states();
    // A run whose create fell in the moment berthd was down made none.
    assertTrue(states.size() <= RUNS, "containers: " + states);
    var running = new TreeMap<String, String>();
    states.forEach((id, state) -> {
      assertTrue(List.of("running", "created", "exited").contains(state), id + " is " + state);
      if (state.equals("running")) {
        running.put(id, docker.run("inspect", "--format", "{{with .NetworkSettings.Networks.bridge}}{{.IPAddress}}{{end}}",
            id).ok().line());
      }
    });
    List<String> wrong = host.disagreements(running, states.keySet(), subnet);
    assertTrue(wrong.isEmpty(), "after recovery, with " + running.size() + " of " + RUNS + " running:\n"
        + String.join("\n", wrong));

    var rm = new ArrayList<>(List.of("rm", "-f"));
    rm.addAll(states.keySet());
    docker.run(rm.toArray(String[]::new)).ok();
    List<String> left = host.disagreements(Map.of(), states.keySet(), subnet);
    assertTrue(left.isEmpty(), "after rm -f of every container:\n" + String.join("\n", left));
  }

  @Test
  void aMonitorKilledWhileItsContainerRunsEndsTheRunAndLeavesNothing() {
    var host = new HostResidue(daemon);
    String subnet = docker.run("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Subnet}}")
        .ok().line();
    var before = java.util.Set.copyOf(daemon.monitors());
    String id = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    var started = new ArrayList<>(daemon.monitors());
    started.removeAll(before);
    assertTrue(started.size() == 1, "one new monitor: " + started);
    // No exit file will come: only the monitor's end says the run is over.
    ProcessHandle.of(started.getFirst()).orElseThrow().destroyForcibly();
    docker.run(null, Duration.ofSeconds(30), "wait", id).ok();
    String state = docker.run("inspect", "--format", "{{.State.Status}} {{.State.Pid}}", id).ok().line();
    assertTrue(state.equals("dead 0"), state);
    List<String> left = host.disagreements(Map.of(), java.util.Set.of(id), subnet);
    assertTrue(left.isEmpty(), "after the monitor's end:\n" + String.join("\n", left));
    docker.run("rm", id).ok();
  }

  /** Full id to status, of every container there is. */
  private static Map<String, String> states() {
    var out = new TreeMap<String, String>();
    docker.run("ps", "-a", "--no-trunc", "--format", "{{.ID}} {{.State}}").ok().out().lines()
        .filter(l -> !l.isBlank()).map(l -> l.split(" ")).forEach(f -> out.put(f[0], f[1]));
    return out;
  }
}
