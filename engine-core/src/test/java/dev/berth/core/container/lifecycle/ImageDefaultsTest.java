package dev.berth.core.container.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageRunConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** moby daemon/commit.go {@code merge} plus {@code mergeAndVerifyConfig}'s {@code [""]} entrypoint reset. */
class ImageDefaultsTest {

  private static final ContainerId ID = new ContainerId("0123456789ab" + "c".repeat(52));

  /** A create request's Config; every field empty unless a test sets it. */
  private static final class User {
    List<String> entrypoint;
    List<String> cmd;
    List<String> env = List.of();
    String workingDir = "";
    String user = "";
    String hostname = "";
    Map<String, String> labels = Map.of();
    String stopSignal = "";
    Integer stopTimeout;
    Set<String> ports = Set.of();
    Set<String> volumes = Set.of();
    Healthcheck healthcheck;

    ContainerConfig build() {
      return new ContainerConfig("busybox", entrypoint, cmd, env, workingDir, user, hostname, "example.org", labels,
          true, true, true, true, true, true, stopSignal, stopTimeout, ports, volumes, healthcheck, null, null, false);
    }
  }

  /** An image's config; every field empty unless a test sets it. */
  private static final class Img {
    List<String> entrypoint;
    List<String> cmd;
    List<String> env = List.of();
    String workingDir = "";
    String user = "";
    Map<String, String> labels = Map.of();
    String stopSignal = "";
    Integer stopTimeout;
    Set<String> ports = Set.of();
    Set<String> volumes = Set.of();
    Healthcheck healthcheck;

    ImageRunConfig build() {
      return new ImageRunConfig(user, ports, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal, stopTimeout,
          healthcheck, null, null, false);
    }
  }

  private static ContainerConfig merge(User u, Img i) {
    return ImageDefaults.merge(u.build(), i.build(), ID);
  }

  @Test
  void userValuesWinOverTheImages() {
    var u = new User();
    u.user = "app";
    u.workingDir = "/work";
    u.stopSignal = "SIGINT";
    u.stopTimeout = 3;
    var i = new Img();
    i.user = "nobody";
    i.workingDir = "/srv";
    i.stopSignal = "SIGQUIT";
    i.stopTimeout = 30;

    ContainerConfig c = merge(u, i);

    assertEquals("app", c.user());
    assertEquals("/work", c.workingDir());
    assertEquals("SIGINT", c.stopSignal());
    assertEquals(3, c.stopTimeout());
  }

  @Test
  void imageFillsWhatTheUserLeftEmpty() {
    var i = new Img();
    i.user = "nobody";
    i.workingDir = "/srv";
    i.stopSignal = "SIGQUIT";

    ContainerConfig c = merge(new User(), i);

    assertEquals("nobody", c.user());
    assertEquals("/srv", c.workingDir());
    assertEquals("SIGQUIT", c.stopSignal());
  }

  @Test
  void stopSignalAndTimeoutStayUnsetWhenNeitherGivesThem() {
    ContainerConfig c = merge(new User(), new Img());
    assertEquals("", c.stopSignal());
    assertNull(c.stopTimeout());
  }

  @Test
  void clientOnlyFieldsComeFromTheRequest() {
    ContainerConfig c = merge(new User(), new Img());
    assertEquals("busybox", c.image());
    assertEquals("example.org", c.domainname());
    assertTrue(c.tty() && c.openStdin() && c.stdinOnce() && c.attachStdin() && c.attachStdout() && c.attachStderr());
  }

  @Test
  void imageEnvIsAppendedAfterTheUsersUnlessTheKeyIsSet() {
    var u = new User();
    u.env = List.of("A=1", "PATH=/user/bin");
    var i = new Img();
    i.env = List.of("PATH=/usr/bin:/bin", "B=2", "A=image");

    assertEquals(List.of("A=1", "PATH=/user/bin", "B=2"), merge(u, i).env());
  }

  @Test
  void userKeyWithoutValueStillHidesTheImagesVariable() {
    var u = new User();
    u.env = List.of("LANG");
    var i = new Img();
    i.env = List.of("LANG=C.UTF-8");

    assertEquals(List.of("LANG"), merge(u, i).env());
  }

  @Test
  void noUserEnvTakesTheImageEnvInItsOrder() {
    var i = new Img();
    i.env = List.of("PATH=/bin", "Z=1", "A=2");
    assertEquals(List.of("PATH=/bin", "Z=1", "A=2"), merge(new User(), i).env());
  }

  @Test
  void labelsAreMergedWithTheUserWinning() {
    var u = new User();
    u.labels = Map.of("shared", "user", "mine", "1");
    var i = new Img();
    i.labels = Map.of("shared", "image", "maintainer", "someone");

    assertEquals(Map.of("shared", "user", "mine", "1", "maintainer", "someone"), merge(u, i).labels());
  }

  @Test
  void exposedPortsAndVolumesAreUnions() {
    var u = new User();
    u.ports = Set.of("8080/tcp");
    u.volumes = Set.of("/data");
    var i = new Img();
    i.ports = Set.of("80/tcp", "8080/tcp");
    i.volumes = Set.of("/var/lib/app");

    ContainerConfig c = merge(u, i);
    assertEquals(Set.of("80/tcp", "8080/tcp"), c.exposedPorts());
    assertEquals(Set.of("/data", "/var/lib/app"), c.volumes());
  }

  @Test
  void neitherEntrypointNorCmdGivenInheritsBoth() {
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");
    i.cmd = List.of("serve");

    ContainerConfig c = merge(new User(), i);
    assertEquals(List.of("/entry.sh"), c.entrypoint());
    assertEquals(List.of("serve"), c.cmd());
    assertEquals(List.of("/entry.sh", "serve"), c.argv());
  }

  @Test
  void userCmdReplacesTheImageCmdAndKeepsItsEntrypoint() {
    var u = new User();
    u.cmd = List.of("echo", "hi");
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");
    i.cmd = List.of("serve");

    ContainerConfig c = merge(u, i);
    assertEquals(List.of("/entry.sh", "echo", "hi"), c.argv());
  }

  @Test
  void userEntrypointDropsTheImageCmd() {
    var u = new User();
    u.entrypoint = List.of("/bin/sh");
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");
    i.cmd = List.of("serve");

    ContainerConfig c = merge(u, i);
    assertEquals(List.of("/bin/sh"), c.entrypoint());
    assertNull(c.cmd());
  }

  @Test
  void userEntrypointAndCmdAreUsedAsGiven() {
    var u = new User();
    u.entrypoint = List.of("/bin/sh", "-c");
    u.cmd = List.of("echo hi");
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");
    i.cmd = List.of("serve");

    assertEquals(List.of("/bin/sh", "-c", "echo hi"), merge(u, i).argv());
  }

  @Test
  void emptyEntrypointListClearsTheImagesButKeepsItsCmd() {
    // Go's len(Entrypoint) == 0 with Entrypoint != nil: cmd is inherited, the entrypoint is not.
    var u = new User();
    u.entrypoint = List.of();
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");
    i.cmd = List.of("serve");

    ContainerConfig c = merge(u, i);
    assertEquals(List.of(), c.entrypoint());
    assertEquals(List.of("serve"), c.argv());
  }

  @Test
  void entrypointOfOneEmptyStringClearsTheImagesEntrypointAndCmd() {
    // `docker run --entrypoint "" img` sends [""]; dockerd then has nothing to run ("no command specified").
    var u = new User();
    u.entrypoint = List.of("");
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");
    i.cmd = List.of("serve");

    ContainerConfig c = merge(u, i);
    assertNull(c.entrypoint());
    assertNull(c.cmd());
    assertEquals(List.of(), c.argv());
  }

  @Test
  void entrypointOfOneEmptyStringRunsTheUsersCmdAlone() {
    var u = new User();
    u.entrypoint = List.of("");
    u.cmd = List.of("echo", "hi");
    var i = new Img();
    i.entrypoint = List.of("/entry.sh");

    ContainerConfig c = merge(u, i);
    assertNull(c.entrypoint());
    assertEquals(List.of("echo", "hi"), c.argv());
  }

  @Test
  void hostnameDefaultsToTheShortId() {
    assertEquals("0123456789ab", merge(new User(), new Img()).hostname());
  }

  @Test
  void givenHostnameIsKept() {
    var u = new User();
    u.hostname = "web";
    assertEquals("web", merge(u, new Img()).hostname());
  }

  @Test
  void healthcheckComesFromTheImageWhenTheUserGivesNone() {
    var i = new Img();
    i.healthcheck = new Healthcheck(List.of("CMD", "true"), 1, 2, 3, 4, 5);
    assertEquals(i.healthcheck, merge(new User(), i).healthcheck());
  }

  @Test
  void healthcheckOfTheUserIsKeptWhenTheImageHasNone() {
    var u = new User();
    u.healthcheck = new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0);
    assertEquals(u.healthcheck, merge(u, new Img()).healthcheck());
  }

  @Test
  void healthcheckFieldsTheUserLeftZeroComeFromTheImage() {
    var u = new User();
    u.healthcheck = new Healthcheck(null, 10, 0, 0, 7, 0);
    var i = new Img();
    i.healthcheck = new Healthcheck(List.of("CMD-SHELL", "curl -f localhost"), 1, 2, 3, 4, 5);

    assertEquals(new Healthcheck(List.of("CMD-SHELL", "curl -f localhost"), 10, 2, 3, 7, 5), merge(u, i).healthcheck());
  }

  @Test
  void healthcheckTestOfTheUserWinsAndAnEmptyOneInherits() {
    var i = new Img();
    i.healthcheck = new Healthcheck(List.of("CMD", "image"), 1, 2, 3, 4, 5);
    var u = new User();
    u.healthcheck = new Healthcheck(List.of("CMD", "user"), 0, 0, 0, 0, 9);
    assertEquals(new Healthcheck(List.of("CMD", "user"), 1, 2, 3, 4, 9), merge(u, i).healthcheck());

    u.healthcheck = new Healthcheck(List.of(), 0, 0, 0, 0, 0);
    assertEquals(List.of("CMD", "image"), merge(u, i).healthcheck().test());
  }
}
