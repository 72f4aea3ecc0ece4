package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: PidMode, IpcMode, UTSMode, UsernsMode, Isolation, StorageOpt and Annotations are
 * honoured (seen from inside the container: its namespaces, hostname and /dev/shm) or refused
 * with dockerd's words.
 */
class NamespaceModesIT extends WithBerthd {

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String host(String kind) throws IOException {
    return Files.readSymbolicLink(Path.of("/proc/self/ns/" + kind)).toString();
  }

  /** The namespaces pid, ipc and uts of a container run with the given options, one a line. */
  private static List<String> namespaces(String... runArgs) {
    var args = new ArrayList<>(List.of("run", "--rm"));
    args.addAll(List.of(runArgs));
    args.addAll(List.of("busybox", "sh", "-c",
        "readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts"));
    return docker.run(args.toArray(String[]::new)).ok().out().lines().toList();
  }

  private static String inspect(String format, String ref) {
    return docker.run("inspect", "-f", format, ref).ok().line();
  }

  private static void refused(String message, String... runArgs) {
    var args = new ArrayList<>(List.of("run", "--rm"));
    args.addAll(List.of(runArgs));
    args.addAll(List.of("busybox", "true"));
    var r = docker.run(args.toArray(String[]::new));
    assertNotEquals(0, r.exit(), String.join(" ", runArgs));
    assertTrue(r.stderr().contains(message), r.stderr());
  }

  @Test
  void eachModeGivesTheNamespacesItNames() throws IOException {
    String pid = host("pid");
    String ipc = host("ipc");
    String uts = host("uts");
    // mode -> whether pid, ipc and uts are the host's
    record Row(List<String> args, boolean hostPid, boolean hostIpc, boolean hostUts) {}
    for (Row row : List.of(
        new Row(List.of(), false, false, false),
        new Row(List.of("--pid", "host"), true, false, false),
        new Row(List.of("--ipc", "host"), false, true, false),
        new Row(List.of("--ipc", "private"), false, false, false),
        new Row(List.of("--ipc", "shareable"), false, false, false),
        new Row(List.of("--ipc", "none"), false, false, false),
        new Row(List.of("--uts", "host"), false, false, true),
        new Row(List.of("--userns", "host"), false, false, false),
        new Row(List.of("--pid", "host", "--ipc", "host", "--uts", "host"), true, true, true))) {
      List<String> ns = namespaces(row.args().toArray(String[]::new));
      assertEquals(row.hostPid(), ns.get(0).equals(pid), row + ": " + ns);
      assertEquals(row.hostIpc(), ns.get(1).equals(ipc), row + ": " + ns);
      assertEquals(row.hostUts(), ns.get(2).equals(uts), row + ": " + ns);
    }
  }

  @Test
  void theHostsPidNamespaceShowsTheHostsProcessesAndHasNoInit() throws IOException {
    String one = docker.run("run", "--rm", "--pid", "host", "--init", "busybox", "cat", "/proc/1/comm").ok().line();
    assertNotEquals("sh", one);
    assertNotEquals("docker-init", one);
    String id = docker.run("run", "-d", "--pid", "host", "--ipc", "host", "--uts", "host", "busybox", "sleep", "300")
        .ok().line();
    assertEquals("host host [\"label=disable\"]",
        inspect("{{.HostConfig.PidMode}} {{.HostConfig.IpcMode}} {{json .HostConfig.SecurityOpt}}", id));
    assertEquals(List.of(host("pid"), host("ipc"), host("uts")), docker.run("exec", id, "sh", "-c",
        "readlink /proc/self/ns/pid; readlink /proc/self/ns/ipc; readlink /proc/self/ns/uts").ok().out().lines()
        .toList(), "an exec joins the same namespaces");
    docker.run("rm", "-f", id).ok();
  }

  @Test
  void theHostsUtsNamespaceHasTheHostsNameAndRefusesAnother() throws IOException {
    String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    assertEquals(name, docker.run("run", "--rm", "--uts", "host", "busybox", "hostname").ok().line());
    refused("conflicting options: hostname and the UTS mode", "--uts", "host", "--hostname", "other");
  }

  @Test
  void aContainerJoinsAnotherContainersPidNamespace() {
    String donor = docker.run("run", "-d", "--name", "piddonor", "busybox", "sleep", "300").ok().line();
    String donorNs = docker.run("exec", donor, "readlink", "/proc/self/ns/pid").ok().line();
    var r = docker.run("run", "--rm", "--pid", "container:piddonor", "busybox", "sh", "-c",
        "readlink /proc/self/ns/pid; cat /proc/1/cmdline | tr '\\0' ' '").ok();
    assertEquals(List.of(donorNs, "sleep 300"), r.out().lines().map(String::strip).toList());
    String joiner = docker.run("create", "--pid", "container:piddonor", "busybox").ok().line();
    assertEquals("container:" + donor, inspect("{{.HostConfig.PidMode}}", joiner),
        "named by id, as dockerd records it");
    String running = docker.run("run", "-d", "--pid", "container:piddonor", "busybox", "sleep", "300").ok().line();
    assertEquals(donorNs, docker.run("exec", running, "readlink", "/proc/self/ns/pid").ok().line());
    docker.run("stop", "-t", "0", donor).ok();
    // The kernel kills what is left in a PID namespace whose init died.
    Poll.until("the joiner ends with its donor", java.time.Duration.ofSeconds(10),
        () -> inspect("{{.State.Running}}", running).equals("false"));
    var stopped = docker.run("start", joiner);
    assertNotEquals(0, stopped.exit());
    assertTrue(stopped.stderr().contains("failed to join PID namespace: container " + donor + " is not running"),
        stopped.stderr());
    docker.run("rm", "-f", joiner, donor, running).ok();
  }

  @Test
  void aShareableContainersIpcAndShmAreJoined() {
    String donor = docker.run("run", "-d", "--ipc", "shareable", "--name", "ipcdonor", "busybox", "sh", "-c",
        "echo hello > /dev/shm/greeting; sleep 300").ok().line();
    Poll.until("the donor wrote its file", java.time.Duration.ofSeconds(10),
        () -> docker.run("exec", donor, "cat", "/dev/shm/greeting").exit() == 0);
    String donorNs = docker.run("exec", donor, "readlink", "/proc/self/ns/ipc").ok().line();
    var r = docker.run("run", "--rm", "--ipc", "container:ipcdonor", "busybox", "sh", "-c",
        "readlink /proc/self/ns/ipc; cat /dev/shm/greeting; echo back > /dev/shm/reply").ok();
    assertEquals(List.of(donorNs, "hello"), r.out().lines().toList());
    assertEquals("back", docker.run("exec", donor, "cat", "/dev/shm/reply").ok().line());
    assertEquals("shareable", inspect("{{.HostConfig.IpcMode}}", donor));

    String priv = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    assertEquals("private", inspect("{{.HostConfig.IpcMode}}", priv), "dockerd's default-ipc-mode");
    refused("failed to join IPC namespace: container " + priv
        + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)", "--ipc", "container:" + priv);
    docker.run("rm", "-f", donor, priv).ok();
  }

  @Test
  void ipcNoneHasNoShmAndPrivateHasItsOwnOfItsSize() {
    assertEquals("0", docker.run("run", "--rm", "--ipc", "none", "busybox", "sh", "-c",
        "grep -c ' /dev/shm ' /proc/self/mounts; true").ok().line());
    assertTrue(docker.run("run", "--rm", "--ipc", "private", "--shm-size", "8m", "busybox", "grep", " /dev/shm ",
        "/proc/self/mounts").ok().line().contains("size=8192k"));
  }

  @Test
  void annotationsReachTheRuntimeAndInspect() throws IOException {
    String id = docker.run("run", "-d", "--annotation", "org.example.b=2", "--annotation", "org.example.a=1",
        "busybox", "sleep", "300").ok().line();
    assertEquals("{\"org.example.a\":\"1\",\"org.example.b\":\"2\"}", inspect("{{json .HostConfig.Annotations}}", id));
    var config = new ObjectMapper().readTree(daemon.execRoot.resolve("bundles").resolve(id).resolve("config.json")
        .toFile());
    assertEquals("1", config.path("annotations").path("org.example.a").asText(), config.toString());
    docker.run("rm", "-f", id).ok();
    String plain = docker.run("create", "busybox").ok().line();
    assertEquals("null", inspect("{{json .HostConfig.Annotations}}", plain));
    docker.run("rm", plain).ok();
    // A client older than API 1.43 cannot mean them: dockerd drops them, as berth does.
    String old = daemon.http("POST", "/v1.42/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{"
        + "\"Annotations\":{\"org.example.a\":\"1\"}}}");
    assertTrue(old.startsWith("HTTP/1.1 201"), old);
    String oldId = old.substring(old.indexOf("\"Id\":\"") + 6, old.indexOf("\"Id\":\"") + 70);
    assertEquals("null", inspect("{{json .HostConfig.Annotations}}", oldId));
    docker.run("rm", oldId).ok();
  }

  @Test
  void theModesSurviveARestartOfTheDaemon() {
    String id = docker.run("create", "--pid", "host", "--uts", "host", "--ipc", "shareable", "--isolation", "default",
        "--annotation", "k=v", "busybox").ok().line();
    daemon.restart(false);
    assertEquals("host host shareable default map[k:v]", inspect("{{.HostConfig.PidMode}} {{.HostConfig.UTSMode}} "
        + "{{.HostConfig.IpcMode}} {{.HostConfig.Isolation}} {{.HostConfig.Annotations}}", id));
    docker.run("rm", id).ok();
  }

  @Test
  void whatCannotBeHonouredIsRefused() {
    int before = (int) docker.run("ps", "-aq").ok().out().lines().count();
    refused("invalid isolation (hyperv): linux only supports 'default'", "--isolation", "hyperv");
    refused("--storage-opt is supported only for overlay over xfs with 'pquota' mount option",
        "--storage-opt", "size=1G");
    refused("invalid IPC mode: bogus", "--ipc", "bogus");
    refused("No such container: nosuchcontainer", "--ipc", "container:nosuchcontainer");
    refused("No such container: nosuchcontainer", "--pid", "container:nosuchcontainer");
    // The CLI refuses these itself; a client sending them gets dockerd's checks.
    for (String[] c : List.of(
        new String[] {"\"PidMode\":\"bogus\"", "400", "invalid PID mode: bogus"},
        new String[] {"\"UTSMode\":\"bogus\"", "400", "invalid UTS mode: bogus"},
        new String[] {"\"UsernsMode\":\"private\"", "400", "invalid USER mode: private"},
        new String[] {"\"Cgroup\":\"container:x\"", "400", "invalid Cgroup (container:x)"},
        new String[] {"\"Annotations\":{\"\":\"x\"}", "400",
            "invalid Annotations: the empty string is not permitted as an annotation key"},
        new String[] {"\"StorageOpt\":{\"inodes\":\"1\"}", "500", "Unknown option inodes"})) {
      String raw = daemon.http("POST", "/v1.51/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{"
          + c[0] + "}}");
      assertTrue(raw.startsWith("HTTP/1.1 " + c[1]) && raw.contains(c[2]), raw);
    }
    assertEquals(before, (int) docker.run("ps", "-aq").ok().out().lines().count(), "nothing was created");
  }
}
