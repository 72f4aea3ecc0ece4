package dev.berth.core.container.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.container.fs.ExecUser;
import dev.berth.core.container.model.ContainerConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The process environment (moby {@code CreateDaemonEnvironment} + {@code ReplaceOrAppendEnvValues},
 * HOME as runc sets it).
 */
class ProcessEnvironmentTest {

  private static final String PATH = "PATH=" + ProcessEnvironment.DEFAULT_PATH;
  private static final ExecUser APP = new ExecUser(1000, 1000, List.of(), "/home/app");

  private static ContainerConfig config(boolean tty, String... env) {
    return new ContainerConfig("busybox", null, List.of("sh"), List.of(env), "", "", "web", "", null, tty, false, false,
        false, false, false, "", null, null, null, null, null, null, false);
  }

  @Test
  void defaultsArePathHostnameAndHomeOfTheUser() {
    assertEquals(List.of(PATH, "HOSTNAME=web", "HOME=/home/app"), ProcessEnvironment.of(config(false), APP));
  }

  @Test
  void ttyAddsTermXterm() {
    assertEquals(List.of(PATH, "HOSTNAME=web", "TERM=xterm", "HOME=/home/app"),
        ProcessEnvironment.of(config(true), APP));
  }

  @Test
  void containerVariablesReplaceTheDefaultsInPlaceAndTheRestFollow() {
    assertEquals(List.of("PATH=/opt/bin", "HOSTNAME=web", "TERM=dumb", "A=1", "HOME=/home/app"),
        ProcessEnvironment.of(config(true, "A=1", "TERM=dumb", "PATH=/opt/bin"), APP));
  }

  @Test
  void containerHostnameVariableWinsOverTheHostname() {
    assertEquals(List.of(PATH, "HOSTNAME=other", "HOME=/home/app"),
        ProcessEnvironment.of(config(false, "HOSTNAME=other"), APP));
  }

  @Test
  void containerHomeWinsOverTheUsersHome() {
    assertEquals(List.of(PATH, "HOSTNAME=web", "HOME=/srv"), ProcessEnvironment.of(config(false, "HOME=/srv"), APP));
  }

  @Test
  void nameWithoutValueUnsetsADefault() {
    // `docker run -e TERM -t` with TERM unset on the client sends "TERM": dockerd removes its TERM=xterm.
    assertEquals(List.of(PATH, "HOSTNAME=web", "HOME=/home/app"),
        ProcessEnvironment.of(config(true, "TERM", "UNSET_ELSEWHERE"), APP));
  }

  @Test
  void emptyValuesAreKept() {
    assertEquals(List.of(PATH, "HOSTNAME=web", "EMPTY=", "HOME=/home/app"),
        ProcessEnvironment.of(config(false, "EMPTY="), APP));
  }

  @Test
  void valuesMayContainEqualsSigns() {
    assertEquals(List.of(PATH, "HOSTNAME=web", "OPTS=a=b,c=d", "HOME=/home/app"),
        ProcessEnvironment.of(config(false, "OPTS=a=b,c=d"), APP));
  }
}
