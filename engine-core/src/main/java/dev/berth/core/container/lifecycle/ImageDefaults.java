package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageRunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Merges what a client asked for with what the image declares, by dockerd's rules (moby
 * daemon/commit.go {@code merge}): the client's values win, the image fills the gaps; image
 * environment variables the client did not set are appended after the client's.
 */
final class ImageDefaults {

  private ImageDefaults() {}

  static ContainerConfig merge(ContainerConfig user, ImageRunConfig image, ContainerId id) {
    var env = new ArrayList<>(user.env());
    for (String e : image.env()) {
      String key = key(e);
      if (user.env().stream().noneMatch(u -> key(u).equals(key))) {
        env.add(e);
      }
    }
    var labels = new LinkedHashMap<>(image.labels());
    labels.putAll(user.labels());
    var ports = new LinkedHashSet<>(image.exposedPorts());
    ports.addAll(user.exposedPorts());
    var volumes = new LinkedHashSet<>(image.volumes());
    volumes.addAll(user.volumes());

    List<String> entrypoint = user.entrypoint();
    List<String> cmd = user.cmd();
    boolean argsEscaped = user.argsEscaped();
    if (entrypoint == null || entrypoint.isEmpty()) {
      if (cmd == null || cmd.isEmpty()) {
        cmd = image.cmd();
        argsEscaped = image.argsEscaped();
      }
      if (entrypoint == null) {
        entrypoint = image.entrypoint();
      }
    }
    // `--entrypoint ""` arrives as [""]: it clears the image's entrypoint and runs cmd alone.
    if (entrypoint != null && entrypoint.size() == 1 && entrypoint.getFirst().isEmpty()) {
      entrypoint = null;
    }

    return new ContainerConfig(
        user.image(),
        entrypoint,
        cmd,
        env,
        user.workingDir().isEmpty() ? image.workingDir() : user.workingDir(),
        user.user().isEmpty() ? image.user() : user.user(),
        user.hostname().isEmpty() ? id.shortId() : user.hostname(),
        user.domainname(),
        labels,
        user.tty(),
        user.openStdin(),
        user.stdinOnce(),
        user.attachStdin(),
        user.attachStdout(),
        user.attachStderr(),
        user.stopSignal().isEmpty() ? image.stopSignal() : user.stopSignal(),
        user.stopTimeout() != null ? user.stopTimeout() : image.stopTimeout(),
        ports,
        volumes,
        healthcheck(user.healthcheck(), image.healthcheck()),
        user.onBuild() != null ? user.onBuild() : image.onBuild(),
        user.shell() != null ? user.shell() : image.shell(),
        argsEscaped);
  }

  /** A healthcheck the client gave replaces the image's field by field where it sets them. */
  private static Healthcheck healthcheck(Healthcheck user, Healthcheck image) {
    if (user == null) {
      return image;
    }
    if (image == null) {
      return user;
    }
    return new Healthcheck(
        user.test() == null || user.test().isEmpty() ? image.test() : user.test(),
        user.interval() == 0 ? image.interval() : user.interval(),
        user.timeout() == 0 ? image.timeout() : user.timeout(),
        user.startPeriod() == 0 ? image.startPeriod() : user.startPeriod(),
        user.startInterval() == 0 ? image.startInterval() : user.startInterval(),
        user.retries() == 0 ? image.retries() : user.retries());
  }

  private static String key(String env) {
    int eq = env.indexOf('=');
    return eq < 0 ? env : env.substring(0, eq);
  }
}
