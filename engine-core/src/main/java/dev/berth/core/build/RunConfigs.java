package dev.berth.core.build;

import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageRunConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A step's change to the stage's run config, made on a mutable copy of it. */
final class RunConfigs {

  private RunConfigs() {}

  /** A mutable copy of a run config, for the one change a step makes. */
  static final class Draft {
    String user;
    Set<String> exposedPorts;
    List<String> env;
    List<String> entrypoint;
    List<String> cmd;
    Set<String> volumes;
    String workingDir;
    Map<String, String> labels;
    String stopSignal;
    Healthcheck healthcheck;
    List<String> onBuild;
    List<String> shell;
    boolean argsEscaped;
  }

  static ImageRunConfig with(ImageRunConfig c, java.util.function.Consumer<Draft> change) {
    var d = new Draft();
    d.user = c.user();
    d.exposedPorts = c.exposedPorts();
    d.env = c.env();
    d.entrypoint = c.entrypoint();
    d.cmd = c.cmd();
    d.volumes = c.volumes();
    d.workingDir = c.workingDir();
    d.labels = c.labels();
    d.stopSignal = c.stopSignal();
    d.healthcheck = c.healthcheck();
    d.onBuild = c.onBuild();
    d.shell = c.shell();
    d.argsEscaped = c.argsEscaped();
    change.accept(d);
    return new ImageRunConfig(d.user, d.exposedPorts, d.env, d.entrypoint, d.cmd, d.volumes, d.workingDir, d.labels,
        d.stopSignal, c.stopTimeout(), d.healthcheck, d.onBuild, d.shell, d.argsEscaped);
  }
}
