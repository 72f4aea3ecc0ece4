package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Issue 14: Testcontainers, as most integration tests in the world use it, against berthd, with
 * its resource reaper on. Testcontainers finds berthd through DOCKER_HOST (here a system property,
 * read by docker-java, as {@code testcontainers.properties} on the test classpath asks) and runs
 * the reaper image {@code testcontainers.properties} names: the real one is on Docker Hub, so
 * {@link #importReaper} builds one from the host's busybox and {@code isolation/reaper.c}, which
 * speaks Ryuk's protocol and removes what a session's labels match once the session is gone.
 */
class TestcontainersIT extends WithBerthd {

  static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");
  /** The image testcontainers.properties gives as ryuk.container.image. */
  static final String REAPER_IMAGE = "berth-it/ryuk:local";
  private static final String SESSION_LABEL = "org.testcontainers.sessionId";

  /**
   * Testcontainers logs through SLF4J into java.util.logging; its INFO lines stay out of the build
   * log, and so does its warning that ryuk.container.image is a deprecated way to substitute.
   */
  private static final List<Logger> QUIET = List.of(Logger.getLogger("org.testcontainers"), Logger.getLogger("tc"));
  private static final Logger SUBSTITUTION =
      Logger.getLogger("org.testcontainers.utility.ConfigurationFileImageNameSubstitutor");

  @BeforeAll
  static void prepare() throws IOException {
    QUIET.forEach(l -> l.setLevel(Level.WARNING));
    SUBSTITUTION.setLevel(Level.SEVERE);
    Fixtures.importBusybox(docker, BUSYBOX.asCanonicalNameString());
    importReaper(docker, daemon.dir.resolve("reaper"));
    System.setProperty("DOCKER_HOST", "unix://" + daemon.socket);
  }

  @AfterAll
  static void nothingLeft() {
    try {
      // The reaper of this JVM's session stays until the JVM ends (the daemon's close removes it);
      // everything the tests made is gone already.
      String session = DockerClientFactory.SESSION_ID;
      assertEquals("", docker.run("ps", "-aq", "--filter", "label=" + SESSION_LABEL + "=" + session).ok().line());
      assertEquals("testcontainers-ryuk-" + session, docker.run("ps", "-a", "--format", "{{.Names}}").ok().line());
      assertEquals("bridge\nhost\nnone", docker.run("network", "ls", "--format", "{{.Name}}").ok().line());
      assertEquals("", docker.run("volume", "ls", "-q").ok().line());
      assertEquals(List.of(REAPER_IMAGE, BUSYBOX.asCanonicalNameString()), docker.run("images", "--format",
          "{{.Repository}}:{{.Tag}}").ok().line().lines().map(n -> n.replace("docker.io/library/", "")).sorted().toList());
    } finally {
      System.clearProperty("DOCKER_HOST");
    }
  }

  /**
   * {@code packaging/busybox-rootfs.sh} plus {@code /reaper} (compiled static from
   * isolation/reaper.c), imported as {@link #REAPER_IMAGE} with the reaper as its command. It
   * waits 2 s instead of Ryuk's 10 after its last client leaves, to keep the test short.
   */
  static void importReaper(DockerCli docker, Path dir) throws IOException {
    Path reaper = Fixtures.compileStatic("reaper", dir);
    Process script = new ProcessBuilder(Path.of("..", "packaging", "busybox-rootfs.sh").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    var tar = new ByteArrayOutputStream();
    try (var in = new TarArchiveInputStream(script.getInputStream());
        var out = new TarArchiveOutputStream(tar)) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        out.putArchiveEntry(e);
        in.transferTo(out);
        out.closeArchiveEntry();
      }
      var entry = new TarArchiveEntry("./reaper");
      entry.setMode(0755);
      entry.setSize(Files.size(reaper));
      out.putArchiveEntry(entry);
      Files.copy(reaper, out);
      out.closeArchiveEntry();
    }
    try {
      assertEquals(0, script.waitFor(), "busybox-rootfs.sh");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    docker.withInput(tar.toByteArray(), "import", "--change", "CMD [\"/reaper\"]", "--change", "EXPOSE 8080",
        "--change", "ENV RYUK_RECONNECTION_TIMEOUT=2", "-", REAPER_IMAGE).ok();
  }

  @Test
  void aContainerWaitsForItsLogLineExecsAndCopiesFiles() throws Exception {
    try (var box = new GenericContainer<>(BUSYBOX)
        .withCommand("sh", "-c", "echo booting; sleep 1; echo ready to serve; exec sleep 300")
        .waitingFor(Wait.forLogMessage(".*ready to serve.*", 1).withStartupTimeout(Duration.ofSeconds(30)))) {
      box.start();
      assertEquals("running", docker.run("inspect", "--format", "{{.State.Status}}", box.getContainerId()).ok().line(),
          "Testcontainers runs it on this test's berthd");
      assertTrue(box.getLogs().contains("booting\nready to serve\n"), box.getLogs());

      var exec = box.execInContainer("sh", "-c", "echo out; echo err >&2; exit 3");
      assertEquals(3, exec.getExitCode());
      assertEquals("out\n", exec.getStdout());
      assertEquals("err\n", exec.getStderr());

      box.copyFileToContainer(Transferable.of("into the container\n"), "/tmp/in.txt");
      assertEquals("into the container\n", box.execInContainer("cat", "/tmp/in.txt").getStdout());
      assertEquals(0, box.execInContainer("sh", "-c", "tr a-z A-Z < /tmp/in.txt > /tmp/out.txt").getExitCode());
      String copied = box.copyFileFromContainer("/tmp/out.txt",
          in -> new String(in.readAllBytes(), StandardCharsets.UTF_8));
      assertEquals("INTO THE CONTAINER\n", copied);

      var labels = box.getContainerInfo().getConfig().getLabels();
      assertEquals(DockerClientFactory.SESSION_ID, labels.get(SESSION_LABEL), "labels the reaper matches: " + labels);
    }
  }

  @Test
  void oneContainerReachesAnotherByItsNetworkAlias() throws Exception {
    try (Network network = Network.newNetwork();
        var server = new GenericContainer<>(BUSYBOX).withNetwork(network).withNetworkAliases("web", "www")
            .withCommand("sh", "-c", "mkdir /www && echo served by alias > /www/index.html && echo listening && "
                + "exec httpd -f -v -p 8000 -h /www")
            .waitingFor(Wait.forLogMessage(".*listening.*", 1));
        var client = new GenericContainer<>(BUSYBOX).withNetwork(network)
            .withCommand("sleep", "300")) {
      server.start();
      client.start();
      for (String alias : List.of("web", "www")) {
        var fetched = client.execInContainer("wget", "-q", "-O", "-", "http://" + alias + ":8000/");
        assertEquals(0, fetched.getExitCode(), alias + ": " + fetched.getStderr());
        assertEquals("served by alias\n", fetched.getStdout());
      }
      String networkName = docker.run("network", "inspect", "--format", "{{.Name}}", network.getId()).ok().line();
      assertTrue(docker.run("network", "inspect", "--format", "{{json .Labels}}", networkName).ok().line()
          .contains(DockerClientFactory.SESSION_ID), "the network carries the session label");
    }
  }

  /**
   * What the reaper is for: a test JVM that dies leaves its containers, networks, volumes and
   * images; its reaper, once the JVM's connection is gone, removes them and then itself (it runs
   * with AutoRemove). The dying JVM is {@link TestcontainersSession}.
   */
  @Test
  void theReaperRemovesWhatADeadSessionLeft() throws Exception {
    Path log = daemon.dir.resolve("session.log");
    var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    if (Runtime.version().feature() >= 23) {
      // As BerthDaemon: Testcontainers' shaded Guava uses sun.misc.Unsafe, which JDK 24+ warns about.
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), TestcontainersSession.class.getName(),
        daemon.socket.toString()));
    Process session = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try {
      var lines = new BufferedReader(new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertTrue(first != null && first.startsWith("session "),
          "the session printed " + first + "; its log:\n" + Files.readString(log));
      String id = first.substring("session ".length());
      String filter = "label=" + SESSION_LABEL + "=" + id;
      assertEquals(1, docker.run("ps", "-q", "--filter", filter).ok().line().lines().count());
      assertEquals(1, docker.run("network", "ls", "-q", "--filter", filter).ok().line().lines().count());
      assertEquals(1, docker.run("volume", "ls", "-q", "--filter", filter).ok().line().lines().count());
      assertEquals(1, docker.run("images", "-q", "--filter", filter).ok().line().lines().count());
      assertEquals("running", docker.run("inspect", "--format", "{{.State.Status}}", "testcontainers-ryuk-" + id)
          .ok().line());

      session.getOutputStream().write('\n');
      session.getOutputStream().flush();
      assertTrue(session.waitFor(30, TimeUnit.SECONDS), "the session ends");

      Poll.until("the reaper to remove the session's container, network, volume and image, then itself",
          Duration.ofSeconds(60), () -> docker.run("ps", "-aq", "--filter", filter).ok().line().isEmpty()
              && docker.run("network", "ls", "-q", "--filter", filter).ok().line().isEmpty()
              && docker.run("volume", "ls", "-q", "--filter", filter).ok().line().isEmpty()
              && docker.run("images", "-q", "--filter", filter).ok().line().isEmpty()
              && docker.run("ps", "-aq", "--filter", "name=testcontainers-ryuk-" + id).ok().line().isEmpty());
    } finally {
      session.destroyForcibly();
    }
  }
}
