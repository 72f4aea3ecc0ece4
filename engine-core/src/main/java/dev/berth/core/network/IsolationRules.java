package dev.berth.core.network;

import dev.berth.core.error.InternalException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The firewall plugin's {@code ingressPolicy: same-bridge} isolates bridge networks from each
 * other as dockerd's DOCKER-ISOLATION chains do, with one rule per bridge in each of
 * CNI-ISOLATION-STAGE-1 and -2. The plugin never removes them (other containers may still use the
 * bridge), so berth does when it deletes a bridge: exactly those two rules, as the plugin wrote them.
 */
public final class IsolationRules {

  private static final String COMMENT = "CNI firewall plugin rules (ingressPolicy: same-bridge)";

  private IsolationRules() {}

  /** Removes the bridge's isolation rules; rules that are not there are fine. */
  public static void remove(String bridge) {
    delete(List.of("CNI-ISOLATION-STAGE-1", "-i", bridge, "!", "-o", bridge, "-m", "comment", "--comment", COMMENT,
        "-j", "CNI-ISOLATION-STAGE-2"));
    delete(List.of("CNI-ISOLATION-STAGE-2", "-o", bridge, "-m", "comment", "--comment", COMMENT, "-j", "DROP"));
  }

  private static void delete(List<String> rule) {
    var cmd = new ArrayList<>(List.of("iptables", "-w", "-t", "filter", "-D"));
    cmd.addAll(rule);
    try {
      // Exit status 1 means no such rule (or chain): nothing to remove.
      int status = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start().waitFor();
      if (status != 0 && status != 1) {
        throw new InternalException("iptables -D " + String.join(" ", rule) + " exited with " + status);
      }
    } catch (IOException e) {
      throw new InternalException("running iptables: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted running iptables", e);
    }
  }
}
