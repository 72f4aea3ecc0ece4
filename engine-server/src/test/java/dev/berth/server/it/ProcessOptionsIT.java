package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: HostConfig's Ulimits, Sysctls, Devices, DeviceCgroupRules, GroupAdd and OomScoreAdj
 * are applied (to the container's processes and its exec processes) or refused as dockerd
 * refuses them.
 */
class ProcessOptionsIT extends WithBerthd {

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  /** Options, a shell command, and what it prints. */
  private record Case(List<String> options, String command, String expected) {}

  private static Case c(String options, String command, String expected) {
    return new Case(options.isEmpty() ? List.of() : List.of(options.split(" ")), command, expected);
  }

  private static final List<Case> CASES = List.of(
      c("--ulimit nofile=512:1024", "ulimit -n; ulimit -Hn", "512\n1024"),
      c("--ulimit nofile=2048", "ulimit -n; ulimit -Hn", "2048\n2048"),
      c("--ulimit core=-1 --ulimit nproc=77:88", "ulimit -c; ulimit -Hc; ulimit -u; ulimit -Hu",
          "unlimited\nunlimited\n77\n88"),
      c("", "cat /proc/self/oom_score_adj", "0"),
      c("--oom-score-adj 300", "cat /proc/self/oom_score_adj", "300"),
      c("--group-add daemon --group-add 1234", "id -G", "0 1 1234"),
      // moby withCommonOptions' defaults in a network namespace of the container's own, which --sysctl overrides.
      c("", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range",
          "0\n0\t2147483647"),
      c("--sysctl net.ipv4.ip_unprivileged_port_start=1024", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start",
          "1024"),
      c("--sysctl kernel.shmmax=4096 --sysctl fs.mqueue.msg_max=20", "cat /proc/sys/kernel/shmmax "
          + "/proc/sys/fs/mqueue/msg_max", "4096\n20"),
      c("--sysctl net.ipv4.ip_forward=1 --sysctl net.ipv4.tcp_syncookies=0", "cat /proc/sys/net/ipv4/ip_forward "
          + "/proc/sys/net/ipv4/tcp_syncookies", "1\n0"),
      // The cgroup allows by number: /dev/null (1:3) is in Docker's defaults, so :r changes nothing for it.
      c("--device /dev/null:/dev/mynull:r", "ls -l /dev/mynull | awk '{print $1, $3, $4, $5, $6}'; "
          + "cat /dev/mynull && echo read; echo x > /dev/mynull && echo written",
          "crw-rw-rw- root root 1, 3\nread\nwritten"),
      // fuse (10:229) is denied by default; :r allows reading it only.
      c("--device /dev/fuse:/dev/myfuse:r", "(exec 3</dev/myfuse) && echo read; (exec 3>/dev/myfuse) 2>/dev/null "
          + "|| echo denied", "read\ndenied"),
      c("--device /dev/fuse", "ls -l /dev/fuse | awk '{print $1, $5, $6}'; (exec 3<>/dev/fuse) && echo opened",
          "crw------- 10, 229\nopened"),
      c("", "test -e /dev/fuse || echo absent; mknod /tmp/f c 10 229; (exec 3<>/tmp/f) 2>/dev/null || echo denied",
          "absent\ndenied"),
      c("--device /dev/net:/dev/net", "ls -l /dev/net/tun | awk '{print $1, $5, $6}'", "crw------- 10, 200"),
      // mem's minor 6 is no device: once the cgroup lets the open through, the driver says ENXIO.
      c("", "mknod /tmp/d c 1 6; cat /tmp/d 2>&1; true", "cat: can't open '/tmp/d': Operation not permitted"),
      c("--device-cgroup-rule=c_1:6_r", "mknod /tmp/d c 1 6; cat /tmp/d 2>&1; true",
          "cat: can't open '/tmp/d': No such device or address"),
      c("--device-cgroup-rule=a_*:*_rwm", "mknod /tmp/d c 1 6; cat /tmp/d 2>&1; true",
          "cat: can't open '/tmp/d': No such device or address"));

  private static List<String> args(List<String> options) {
    // "_" stands for the spaces a device cgroup rule holds.
    return options.stream().map(o -> o.startsWith("--device-cgroup-rule=") ? o.replace('_', ' ') : o).toList();
  }

  @Test
  void eachOptionIsSeenFromInsideTheContainer() {
    var failures = new ArrayList<String>();
    for (Case t : CASES) {
      var argv = new ArrayList<>(List.of("run", "--rm"));
      argv.addAll(args(t.options()));
      argv.addAll(List.of("busybox", "sh", "-c", t.command()));
      var r = docker.run(argv.toArray(String[]::new));
      failures.add(r.exit() != 0 ? String.join(" ", t.options()) + ": " + r.stderr()
          : r.line().equals(t.expected()) ? "" : String.join(" ", t.options()) + ": got " + r.line());
    }
    assertEquals("", String.join("\n", failures).strip());
  }

  /**
   * Lowering a score needs CAP_SYS_RESOURCE, which some hosts (this CI's VM) withhold even from
   * root: runc then refuses the container, as it would under dockerd.
   */
  @Test
  void aNegativeScoreIsSetWhereTheEngineMayLowerIt() throws java.io.IOException {
    var r = docker.run("run", "--rm", "--oom-score-adj", "-400", "busybox", "cat", "/proc/self/oom_score_adj");
    String status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"));
    long bounding = Long.parseUnsignedLong(status.lines().filter(l -> l.startsWith("CapBnd:")).findFirst()
        .orElseThrow().substring(7).strip(), 16);
    if ((bounding & (1L << 24)) != 0) {
      assertEquals("-400", r.ok().line());
    } else {
      assertNotEquals(0, r.exit());
      assertTrue(r.stderr().contains("OCI runtime create failed: "), r.stderr());
    }
  }

  @Test
  void execProcessesGetTheContainersLimitsGroupsAndScore() {
    String id = docker.run("run", "-d", "--ulimit", "nofile=512:1024", "--group-add", "daemon", "--group-add", "1234",
        "--oom-score-adj", "300", "busybox", "sleep", "300").ok().line();
    try {
      assertEquals("512\n1024\n0 1 1234\n300", docker.run("exec", id, "sh", "-c",
          "ulimit -n; ulimit -Hn; id -G; cat /proc/self/oom_score_adj").ok().line());
      assertEquals("1 1234", docker.run("exec", "-u", "daemon", id, "id", "-G").ok().line(),
          "another user gets GroupAdd too (moby getUser)");
    } finally {
      docker.run("rm", "-f", id).ok();
    }
  }

  @Test
  void inspectShowsTheOptionsAsGiven() {
    String id = docker.run("create", "--ulimit", "nofile=512:1024", "--sysctl", "net.ipv4.ip_forward=1",
        "--device", "/dev/null:/dev/mynull:r", "--device-cgroup-rule", "c 1:3 mr", "--group-add", "daemon",
        "--oom-score-adj", "-5", "busybox").ok().line();
    try {
      assertEquals("[{\"Name\":\"nofile\",\"Hard\":1024,\"Soft\":512}] {\"net.ipv4.ip_forward\":\"1\"} "
          + "[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"/dev/mynull\",\"CgroupPermissions\":\"r\"}] "
          + "[\"c 1:3 mr\"] [\"daemon\"] -5", docker.run("inspect", "-f", "{{json .HostConfig.Ulimits}} "
          + "{{json .HostConfig.Sysctls}} {{json .HostConfig.Devices}} {{json .HostConfig.DeviceCgroupRules}} "
          + "{{json .HostConfig.GroupAdd}} {{.HostConfig.OomScoreAdj}}", id).ok().line());
    } finally {
      docker.run("rm", id).ok();
    }
  }

  @Test
  void anOomScoreOutOfRangeCreatesNothing() {
    int before = containers();
    var r = docker.run("run", "--rm", "--oom-score-adj", "1001", "busybox", "true");
    assertEquals(125, r.exit());
    assertTrue(r.stderr().contains("docker: Error response from daemon: Invalid value 1001, range for oom score adj "
        + "is [-1000, 1000]"), r.stderr());
    String raw = daemon.http("POST", "/containers/create", "{\"Image\":\"busybox\",\"HostConfig\":{\"OomScoreAdj\":-1001}}");
    assertTrue(raw.startsWith("HTTP/1.1 400") && raw.contains("Invalid value -1001, range for oom score adj is "
        + "[-1000, 1000]"), raw);
    assertEquals(before, containers(), "nothing was created");
  }

  /** Refused at start, as dockerd refuses them: the container stays, created, with the error. */
  private record Refusal(String hostConfig, String message) {}

  @Test
  void whatCannotBeAppliedIsRefusedAtStartInDockerdsWords() {
    for (Refusal t : List.of(
        new Refusal("{\"Devices\":[{\"PathOnHost\":\"/dev/berth-nope\",\"PathInContainer\":\"/dev/x\","
            + "\"CgroupPermissions\":\"rwm\"}]}",
            "error gathering device information while adding custom device \"/dev/berth-nope\": no such file or "
                + "directory"),
        new Refusal("{\"Devices\":[{\"PathOnHost\":\"/etc/hostname\",\"PathInContainer\":\"/x\","
            + "\"CgroupPermissions\":\"rwm\"}]}",
            "error gathering device information while adding custom device \"/etc/hostname\": not a device node"),
        new Refusal("{\"DeviceCgroupRules\":[\"c 1:3\"]}", "invalid device cgroup rule format: 'c 1:3'"),
        new Refusal("{\"GroupAdd\":[\"nosuch\"]}", "unable to find group nosuch: no matching entries in group file"),
        new Refusal("{\"Sysctls\":{\"kernel.printk\":\"1\"}}",
            "sysctl \"kernel.printk\" is not in a separate kernel namespace"),
        new Refusal("{\"NetworkMode\":\"host\",\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\"}}",
            "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace"),
        new Refusal("{\"Ulimits\":[{\"Name\":\"nosuch\",\"Soft\":1,\"Hard\":1}]}", "wrong rlimit value: RLIMIT_NOSUCH"),
        new Refusal("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":2048,\"Hard\":1024}]}",
            "error setting rlimit type 7: invalid argument"))) {
      String created = daemon.http("POST", "/containers/create",
          "{\"Image\":\"busybox\",\"Cmd\":[\"true\"],\"HostConfig\":" + t.hostConfig() + "}");
      assertTrue(created.startsWith("HTTP/1.1 201"), created);
      String id = created.substring(created.indexOf("\"Id\":\"") + 6, created.indexOf("\"Id\":\"") + 6 + 64);
      var start = docker.run("start", id);
      assertNotEquals(0, start.exit(), t.hostConfig());
      assertTrue(start.stderr().contains(t.message()), t.hostConfig() + ": " + start.stderr());
      assertEquals("created", docker.run("inspect", "-f", "{{.State.Status}}", id).ok().line());
      assertTrue(docker.run("inspect", "-f", "{{.State.Error}}", id).ok().line().contains(t.message()));
      docker.run("rm", id).ok();
    }
    String run = docker.run("run", "--rm", "--device", "/dev/berth-nope", "busybox", "true").stderr();
    assertTrue(run.lines().anyMatch(l -> l.equals("docker: Error response from daemon: error gathering device "
        + "information while adding custom device \"/dev/berth-nope\": no such file or directory")),
        "no OCI runtime prefix: dockerd refuses it itself\n" + run);
  }

  @Test
  void aPrivilegedContainerGetsTheHostsDevicesAndIgnoresPermissions() {
    assertEquals("written\ncrw------- 10, 229\nopened", docker.run("run", "--rm", "--privileged", "--device",
        "/dev/null:/dev/mynull:r", "busybox", "sh", "-c", "echo x > /dev/mynull && echo written; "
        + "ls -l /dev/fuse | awk '{print $1, $5, $6}'; (exec 3<>/dev/net/tun) && echo opened").ok().line());
  }

  @Test
  void theOptionsSurviveARestartOfTheDaemon() {
    String id = docker.run("create", "--ulimit", "nofile=512:1024", "--group-add", "daemon", "--oom-score-adj", "300",
        "--device", "/dev/fuse:/dev/myfuse:r", "busybox", "sh", "-c",
        "ulimit -n; id -G; cat /proc/self/oom_score_adj; (exec 3</dev/myfuse) && echo read").ok().line();
    try {
      daemon.restart(false);
      assertEquals("512\n0 1\n300\nread", docker.run("start", "-a", id).ok().line());
    } finally {
      docker.run("rm", "-f", id).ok();
    }
  }

  private static int containers() {
    return (int) docker.run("ps", "-aq").ok().out().lines().count();
  }

}
