package dev.berth.server.it;

import java.util.HashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.utility.ResourceReaper;

/**
 * A test JVM that dies without cleaning up, for {@link TestcontainersIT}: against the berthd whose
 * socket is its argument it starts a container on a network of its own and makes a volume and
 * an image (a commit of the container) with the session's labels, prints {@code session <id>},
 * and at a line on stdin halts at once, as a killed JVM would, leaving the reaper to remove all
 * of it.
 */
final class TestcontainersSession {

  private static final Logger QUIET = Logger.getLogger("org.testcontainers");
  private static final Logger SUBSTITUTION =
      Logger.getLogger("org.testcontainers.utility.ConfigurationFileImageNameSubstitutor");

  private TestcontainersSession() {}

  @SuppressWarnings({"resource", "deprecation"})
  public static void main(String[] args) throws Exception {
    QUIET.setLevel(Level.WARNING);
    SUBSTITUTION.setLevel(Level.SEVERE);
    System.setProperty("DOCKER_HOST", "unix://" + args[0]);
    Network network = Network.newNetwork();
    var box = new GenericContainer<>(TestcontainersIT.BUSYBOX).withNetwork(network).withCommand("sleep", "300");
    box.start();
    var labels = new HashMap<>(DockerClientFactory.DEFAULT_LABELS);
    labels.putAll(ResourceReaper.instance().getLabels());
    var client = DockerClientFactory.instance().client();
    client.createVolumeCmd().withLabels(labels).exec();
    client.commitCmd(box.getContainerId()).withRepository("berth-it/session").withTag(DockerClientFactory.SESSION_ID)
        .withLabels(labels).exec();
    System.out.println("session " + DockerClientFactory.SESSION_ID);
    System.out.flush();
    System.in.read();
    Runtime.getRuntime().halt(0);
  }
}
