package dev.berth.store.container;

import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.image.Healthcheck;
import dev.berth.store.Documents;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code config} of {@code containers.config_json}: a {@link ContainerConfig}. */
record ConfigDoc(
    String image,
    List<String> entrypoint,
    List<String> cmd,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    String domainname,
    Map<String, String> labels,
    boolean tty,
    boolean openStdin,
    boolean stdinOnce,
    boolean attachStdin,
    boolean attachStdout,
    boolean attachStderr,
    String stopSignal,
    Integer stopTimeout,
    Set<String> exposedPorts,
    Set<String> volumes,
    HealthcheckDoc healthcheck,
    List<String> onBuild,
    List<String> shell,
    boolean argsEscaped) {

  static ConfigDoc of(ContainerConfig c) {
    return new ConfigDoc(c.image(), c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user(), c.hostname(),
        c.domainname(), Documents.sorted(c.labels()), c.tty(), c.openStdin(), c.stdinOnce(), c.attachStdin(),
        c.attachStdout(), c.attachStderr(), c.stopSignal(), c.stopTimeout(), Documents.sorted(c.exposedPorts()),
        Documents.sorted(c.volumes()), Documents.map(c.healthcheck(), HealthcheckDoc::of), c.onBuild(), c.shell(),
        c.argsEscaped());
  }

  ContainerConfig toCore() {
    return new ContainerConfig(image, entrypoint, cmd, env, workingDir, user, hostname, domainname, labels, tty,
        openStdin, stdinOnce, attachStdin, attachStdout, attachStderr, stopSignal, stopTimeout, exposedPorts, volumes,
        Documents.map(healthcheck, HealthcheckDoc::toCore), onBuild, shell, argsEscaped);
  }

  /** Durations in nanoseconds, as Docker keeps them. */
  record HealthcheckDoc(List<String> test, long interval, long timeout, long startPeriod, long startInterval,
      int retries) {

    static HealthcheckDoc of(Healthcheck h) {
      return new HealthcheckDoc(h.test(), h.interval(), h.timeout(), h.startPeriod(), h.startInterval(), h.retries());
    }

    Healthcheck toCore() {
      return new Healthcheck(test, interval, timeout, startPeriod, startInterval, retries);
    }
  }
}
