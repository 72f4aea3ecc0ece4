package dev.berth.core.container.exec;

import dev.berth.core.container.fs.ExecUser;
import dev.berth.core.container.model.ContainerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The environment of a container's processes, its first and its execs alike, as dockerd makes it. */
public final class ProcessEnvironment {

  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private ProcessEnvironment() {}

  /**
   * dockerd's order (moby container {@code ReplaceOrAppendEnvValues}): its defaults first, each
   * replaced in place by the container's own value or removed by a bare {@code NAME}; the
   * container's other variables follow. HOME comes last if unset, as runc adds it.
   */
  public static List<String> of(ContainerConfig cfg, ExecUser user) {
    return of(cfg, user, List.of());
  }

  /** @param linked the legacy links' variables, which follow the defaults and yield to the container's own */
  public static List<String> of(ContainerConfig cfg, ExecUser user, List<String> linked) {
    var env = new ArrayList<String>();
    env.add("PATH=" + DEFAULT_PATH);
    env.add("HOSTNAME=" + cfg.hostname());
    if (cfg.tty()) {
      env.add("TERM=xterm");
    }
    env.addAll(linked);
    List<String> defaultKeys = env.stream().map(d -> d.substring(0, d.indexOf('='))).toList();
    for (String e : cfg.env()) {
      int eq = e.indexOf('=');
      int slot = defaultKeys.indexOf(eq < 0 ? e : e.substring(0, eq));
      if (slot >= 0) {
        env.set(slot, eq < 0 ? null : e);
      } else if (eq >= 0) {
        env.add(e);
      }
    }
    env.removeIf(Objects::isNull);
    if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
      env.add("HOME=" + user.home());
    }
    return env;
  }
}
