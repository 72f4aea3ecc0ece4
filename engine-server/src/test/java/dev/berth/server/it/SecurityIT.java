package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.core.seccomp.SeccompProfile;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10: containers run under Docker's default seccomp profile, every --security-opt is
 * honoured or refused, and the cgroup namespace is what the container asked for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT extends WithBerthd {

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static String status(String field, String... runArgs) {
    var args = new java.util.ArrayList<>(List.of("run", "--rm"));
    args.addAll(List.of(runArgs));
    args.addAll(List.of("busybox", "grep", field + ":", "/proc/self/status"));
    return docker.run(args.toArray(String[]::new)).ok().line().replaceAll("\\s+", " ");
  }

  @Test
  void aDefaultContainerIsFilteredAndCannotMakeNamespaces() {
    assertEquals("Seccomp: 2", status("Seccomp"));
    assertEquals("NoNewPrivs: 0", status("NoNewPrivs"));
    var unshare = docker.run("run", "--rm", "busybox", "unshare", "-U", "-r", "true");
    assertNotEquals(0, unshare.exit(), "unshare needs CAP_SYS_ADMIN under the default profile");
    assertTrue(unshare.stderr().contains("Operation not permitted"), unshare.stderr());
  }

  @Test
  void unconfinedAndPrivilegedRunWithoutAFilter() {
    assertEquals("Seccomp: 0", status("Seccomp", "--security-opt", "seccomp=unconfined"));
    assertEquals("Seccomp: 0", status("Seccomp", "--privileged"));
    assertEquals("0", docker.run("run", "--rm", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c",
        "unshare -U -r true; echo $?").ok().line());
  }

  // Docker's profile with mkdir and mkdirat moved from the allowed calls to EACCES.
  private static Path noMkdirProfile() throws IOException {
    ObjectNode profile;
    try (InputStream in = SeccompProfile.class.getResourceAsStream("default.json")) {
      profile = (ObjectNode) new ObjectMapper().readTree(in);
    }
    for (var rule : profile.withArray("syscalls")) {
      var names = (ArrayNode) rule.get("names");
      for (int i = names.size() - 1; i >= 0; i--) {
        if (names.get(i).asText().startsWith("mkdir")) {
          names.remove(i);
        }
      }
    }
    ObjectNode deny = profile.withArray("syscalls").addObject();
    deny.putArray("names").add("mkdir").add("mkdirat");
    deny.put("action", "SCMP_ACT_ERRNO").put("errnoRet", 13);
    Path file = daemon.dir.resolve("no-mkdir.json");
    Files.writeString(file, profile.toPrettyString());
    return file;
  }

  @Test
  void aProfileFileDecidesWhatIsAllowed() throws IOException {
    var r = docker.run("run", "--rm", "--security-opt", "seccomp=" + noMkdirProfile(), "busybox", "sh", "-c",
        "mkdir /x; echo rc=$?; touch /y && echo touched");
    assertEquals("rc=1\ntouched\n", r.ok().out());
    assertTrue(r.stderr().contains("Permission denied"), r.stderr());
  }

  @Test
  void anExecRunsUnderTheContainersFilterAndNoNewPrivileges() throws IOException {
    String plain = docker.run("run", "-d", "busybox", "sleep", "300").ok().line();
    var unshare = docker.run("exec", plain, "unshare", "-U", "-r", "true");
    assertNotEquals(0, unshare.exit(), "unshare in an exec of a default container");
    assertTrue(unshare.stderr().contains("Operation not permitted"), unshare.stderr());
    assertNotEquals(0, docker.run("exec", "--privileged", plain, "unshare", "-U", "-r", "true").exit(),
        "a privileged exec gets capabilities, not a way around the container's filter");
    String hardened = docker.run("run", "-d", "--security-opt", "seccomp=" + noMkdirProfile(), "--security-opt",
        "no-new-privileges", "busybox", "sleep", "300").ok().line();
    var mkdir = docker.run("exec", hardened, "sh", "-c", "mkdir /x; echo rc=$?; grep -E '^(NoNewPrivs|Seccomp):' "
        + "/proc/self/status");
    assertEquals("rc=1\nNoNewPrivs:\t1\nSeccomp:\t2\n", mkdir.ok().out());
    assertTrue(mkdir.stderr().contains("Permission denied"), mkdir.stderr());
    docker.run("rm", "-f", plain, hardened).ok();
  }

  @Test
  void noNewPrivilegesIsSet() {
    assertEquals("NoNewPrivs: 1", status("NoNewPrivs", "--security-opt", "no-new-privileges"));
    assertEquals("NoNewPrivs: 1", status("NoNewPrivs", "--security-opt", "no-new-privileges=true"));
    assertEquals("NoNewPrivs: 0", status("NoNewPrivs", "--security-opt", "no-new-privileges=false"));
    String id = docker.run("create", "--security-opt", "no-new-privileges", "--security-opt", "label=disable",
        "busybox").ok().line();
    assertEquals("[\"no-new-privileges\",\"label=disable\"]",
        docker.run("inspect", "-f", "{{json .HostConfig.SecurityOpt}}", id).ok().line());
    docker.run("rm", id).ok();
  }

  @Test
  void badOptionsAndProfilesCreateNothing() {
    int before = containers();
    var bogus = docker.run("create", "--security-opt", "foo=bar", "busybox");
    assertNotEquals(0, bogus.exit());
    assertTrue(bogus.stderr().contains("invalid --security-opt 2: \"foo=bar\""), bogus.stderr());
    String raw = daemon.http("POST", "/v1.51/containers/create",
        "{\"Image\":\"busybox\",\"HostConfig\":{\"SecurityOpt\":[\"seccomp={not json\"]}}");
    assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
    assertTrue(raw.contains("Decoding seccomp profile failed: invalid character 'n' looking for beginning of object "
        + "key string"), raw);
    String action = daemon.http("POST", "/containers/create",
        "{\"Image\":\"busybox\",\"HostConfig\":{\"SecurityOpt\":[\"seccomp={\\\"defaultAction\\\":\\\"SCMP_ACT_NOPE\\\"}\"]}}");
    assertTrue(action.startsWith("HTTP/1.1 400") && action.contains("string SCMP_ACT_NOPE is not a valid action for "
        + "seccomp"), action);
    String mode = daemon.http("POST", "/containers/create",
        "{\"Image\":\"busybox\",\"HostConfig\":{\"CgroupnsMode\":\"shared\"}}");
    assertTrue(mode.startsWith("HTTP/1.1 400") && mode.contains("invalid cgroup namespace mode: shared"), mode);
    assertEquals(before, containers(), "nothing was created");
  }

  private static int containers() {
    return (int) docker.run("ps", "-aq").ok().out().lines().count();
  }

  @Test
  void aPrivateCgroupNamespaceSeesItsOwnCgroupAsTheRoot() {
    String own = docker.run("run", "--rm", "--cgroupns", "private", "busybox", "cat", "/proc/self/cgroup").ok().out();
    assertTrue(own.lines().allMatch(l -> l.endsWith(":/")), own);
    var r = docker.run("run", "--name", "hostns", "busybox", "cat", "/proc/self/cgroup").ok();
    String id = docker.run("inspect", "-f", "{{.Id}}", "hostns").ok().line();
    assertTrue(r.out().lines().filter(l -> l.contains(":pids:") || l.contains(":memory:"))
        .allMatch(l -> l.endsWith(":/" + daemon.cgroupParent + "/" + id)), r.out());
    assertEquals("host", docker.run("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", "hostns").ok().line(),
        "a hybrid host's default, per container");
    docker.run("rm", "hostns").ok();
    String priv = docker.run("create", "--cgroupns", "private", "busybox").ok().line();
    assertEquals("private", docker.run("inspect", "-f", "{{.HostConfig.CgroupnsMode}}", priv).ok().line());
    docker.run("rm", priv).ok();
  }

  @Test
  void systemPathsUnconfinedMasksNothing() {
    String count = "grep -c -E ' /proc/(keys|sys) ' /proc/self/mounts; true";
    assertEquals("2", docker.run("run", "--rm", "busybox", "sh", "-c", count).ok().line(),
        "/proc/keys masked and /proc/sys read-only by default");
    assertEquals("0", docker.run("run", "--rm", "--security-opt", "systempaths=unconfined", "busybox", "sh", "-c",
        count).ok().line());
    String id = docker.run("create", "--security-opt", "systempaths=unconfined", "busybox").ok().line();
    assertEquals("[] []", docker.run("inspect", "-f",
        "{{json .HostConfig.MaskedPaths}} {{json .HostConfig.ReadonlyPaths}}", id).ok().line());
    docker.run("rm", id).ok();
  }

  @Test
  void infoListsTheSecurityOptions() {
    assertEquals("[\"name=seccomp,profile=builtin\"]",
        docker.run("info", "--format", "{{json .SecurityOptions}}").ok().line());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void theDaemonsDefaultsApplyToNewContainers() {
    daemon.restart(false, () -> {
      try {
        Path json = daemon.dir.resolve("daemon.json");
        String old = Files.readString(json).strip();
        Files.writeString(json, old.substring(0, old.length() - 1)
            + ", \"no-new-privileges\": true, \"default-cgroupns-mode\": \"private\", \"seccomp-profile\": \"unconfined\"}");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    assertEquals("[\"name=seccomp,profile=unconfined\",\"name=cgroupns\",\"name=no-new-privileges\"]",
        docker.run("info", "--format", "{{json .SecurityOptions}}").ok().line());
    var info = docker.run("info").ok();
    assertTrue((info.out() + info.stderr()).contains("WARNING: daemon is not using the default seccomp profile"),
        info.stderr());
    assertEquals("NoNewPrivs: 1", status("NoNewPrivs"));
    assertEquals("Seccomp: 0", status("Seccomp"));
    assertEquals("Seccomp: 2", status("Seccomp", "--security-opt", "seccomp=builtin"));
    String own = docker.run("run", "--rm", "busybox", "cat", "/proc/self/cgroup").ok().out();
    assertTrue(own.lines().allMatch(l -> l.endsWith(":/")), own);
  }
}
