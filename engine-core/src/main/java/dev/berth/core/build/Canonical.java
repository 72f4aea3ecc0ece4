package dev.berth.core.build;

import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageRunConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** A run config as text that is the same for equal configs in every JVM: sets and maps sorted. */
final class Canonical {

  private Canonical() {}

  static String of(ImageRunConfig c) {
    var b = new StringBuilder();
    b.append("user=").append(c.user()).append('\n');
    b.append("ports=").append(new TreeSet<>(c.exposedPorts())).append('\n');
    b.append("env=").append(list(c.env())).append('\n');
    b.append("entrypoint=").append(list(c.entrypoint())).append('\n');
    b.append("cmd=").append(list(c.cmd())).append('\n');
    b.append("volumes=").append(new TreeSet<>(c.volumes())).append('\n');
    b.append("workdir=").append(c.workingDir()).append('\n');
    b.append("labels=").append(map(c.labels())).append('\n');
    b.append("stopsignal=").append(c.stopSignal()).append('\n');
    b.append("stoptimeout=").append(c.stopTimeout()).append('\n');
    Healthcheck h = c.healthcheck();
    b.append("health=").append(h == null ? "null" : list(h.test()) + "," + h.interval() + "," + h.timeout() + ","
        + h.startPeriod() + "," + h.startInterval() + "," + h.retries()).append('\n');
    b.append("onbuild=").append(list(c.onBuild())).append('\n');
    b.append("shell=").append(list(c.shell())).append('\n');
    b.append("argsescaped=").append(c.argsEscaped());
    return b.toString();
  }

  private static String list(List<String> l) {
    if (l == null) {
      return "null";
    }
    var b = new StringBuilder("[");
    for (String s : l) {
      b.append(s.length()).append(':').append(s).append(',');
    }
    return b.append(']').toString();
  }

  private static String map(Map<String, String> m) {
    var b = new StringBuilder("{");
    new TreeMap<>(m).forEach((k, v) -> b.append(k.length()).append(':').append(k).append('=').append(v.length())
        .append(':').append(v).append(','));
    return b.append('}').toString();
  }
}
