package dev.berth.core.network;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The firewall plugin's {@code ingressPolicy: same-bridge} isolates bridge networks from each
 * other as dockerd's DOCKER-ISOLATION chains do, with one rule per bridge in each of
 * CNI-ISOLATION-STAGE-1 and -2. The plugin never removes them (other containers may still use the
 * bridge), so berth does when it deletes a bridge: exactly those two rules, as the plugin wrote them.
 */
public final class IsolationRules {

  private static final String COMMENT = "CNI firewall plugin rules (ingressPolicy: same-bridge)";

  private IsolationRules() {}

  private static final String ICC_COMMENT = "berth: enable_icc=false";
  private static final Path BRIDGE_NF_CALL_IPTABLES = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
  private static final Path BRIDGE_NF_CALL_IP6TABLES = Path.of("/proc/sys/net/bridge/bridge-nf-call-ip6tables");

  /**
   * Keeps containers on one bridge from talking to each other (a network created with
   * {@code com.docker.network.bridge.enable_icc=false}), as dockerd's {@code -i br -o br -j DROP}
   * rule does, ahead of the firewall plugin's accepts. Bridged traffic reaches iptables only
   * through br_netfilter, which dockerd loads and turns on for this too. On a network with IPv6 the
   * same rule goes into ip6tables, so IPv6 is no way around it. Idempotent.
   */
  public static void isolateContainers(String bridge, boolean ipv6) {
    enable(BRIDGE_NF_CALL_IPTABLES, bridge);
    isolate("iptables", bridge);
    if (ipv6) {
      enable(BRIDGE_NF_CALL_IP6TABLES, bridge);
      isolate("ip6tables", bridge);
    }
  }

  private static void enable(Path nfCall, String bridge) {
    try {
      if (!Files.exists(nfCall)) {
        run(List.of("modprobe", "br_netfilter"));
      }
      if (!Files.readString(nfCall).strip().equals("1")) {
        Files.writeString(nfCall, "1");
      }
    } catch (IOException e) {
      throw new InternalException("enabling br_netfilter for " + bridge + ": " + e.getMessage(), e);
    }
  }

  private static void isolate(String tool, String bridge) {
    List<String> rule = List.of("FORWARD", "-i", bridge, "-o", bridge, "-m", "comment", "--comment", ICC_COMMENT,
        "-j", "DROP");
    var check = new ArrayList<>(List.of(tool, "-w", "-t", "filter", "-C"));
    check.addAll(rule);
    if (run(check) != 0) {
      var insert = new ArrayList<>(List.of(tool, "-w", "-t", "filter", "-I"));
      insert.add("FORWARD");
      insert.add("1");
      insert.addAll(rule.subList(1, rule.size()));
      int status = run(insert);
      if (status != 0) {
        throw new InternalException(tool + " -I FORWARD for " + bridge + " exited with " + status);
      }
    }
  }

  /**
   * Whether every rule the firewall plugin's {@code ingressPolicy: same-bridge} keeps for {@code
   * bridge} is in the filter table (both families' with {@code ipv6}), read with one {@code -S}
   * each: the jump from FORWARD, the bridge's rule and the RETURN in each stage chain. The plugin
   * checks exactly these and adds the missing ones; when this says yes, it would add nothing. No
   * answer (the tool failed) is no.
   */
  public static boolean inPlace(String bridge, boolean ipv6) {
    for (String tool : ipv6 ? List.of("iptables", "ip6tables") : List.of("iptables")) {
      Processes.Captured listed;
      try {
        listed = Processes.capture(List.of(tool, "-w", "-t", "filter", "-S"));
      } catch (IOException | ErrnoException e) {
        return false;
      }
      if (listed.exit() != 0 || !inPlace(new String(listed.stdout(), StandardCharsets.UTF_8), bridge)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code rules}, a table as {@code iptables -S} lists it, holds the bridge's isolation. */
  static boolean inPlace(String rules, String bridge) {
    List<String> comment = List.of("-m", "comment", "--comment", COMMENT, "-j");
    Set<String> lines = rules.lines().collect(Collectors.toSet());
    List<List<String>> kept = kept(bridge);
    return lines.containsAll(List.of(
        listed(concat(List.of("FORWARD"), comment, "CNI-ISOLATION-STAGE-1")),
        listed(kept.get(1)),
        listed(concat(List.of("CNI-ISOLATION-STAGE-1"), comment, "RETURN")),
        listed(kept.get(2)),
        listed(concat(List.of("CNI-ISOLATION-STAGE-2"), comment, "RETURN"))));
  }

  private static List<String> concat(List<String> head, List<String> middle, String last) {
    var all = new ArrayList<>(head);
    all.addAll(middle);
    all.add(last);
    return all;
  }

  /**
   * Removes the bridge's isolation rules of both families, those the table lists: a rule that is
   * not there is fine, and so is a family whose chains were never made (deleting a rule that jumps
   * to a missing chain is an error to iptables, not a no-op).
   */
  public static void remove(String bridge, boolean ipv6) {
    for (String tool : ipv6 ? List.of("iptables", "ip6tables") : List.of("iptables")) {
      Set<String> listed = list(tool);
      for (List<String> rule : kept(bridge)) {
        if (listed.contains(listed(rule))) {
          delete(tool, rule);
        }
      }
    }
  }

  /** The rules berth and the plugin keep for {@code bridge} that berth removes with it. */
  static List<List<String>> kept(String bridge) {
    return List.of(
        List.of("FORWARD", "-i", bridge, "-o", bridge, "-m", "comment", "--comment", ICC_COMMENT, "-j", "DROP"),
        List.of("CNI-ISOLATION-STAGE-1", "-i", bridge, "!", "-o", bridge, "-m", "comment", "--comment", COMMENT, "-j",
            "CNI-ISOLATION-STAGE-2"),
        List.of("CNI-ISOLATION-STAGE-2", "-o", bridge, "-m", "comment", "--comment", COMMENT, "-j", "DROP"));
  }

  /** {@code rule} as {@code iptables -S} lists it: appended, its comment quoted. */
  static String listed(List<String> rule) {
    var out = new StringBuilder("-A");
    for (int i = 0; i < rule.size(); i++) {
      boolean comment = i > 0 && rule.get(i - 1).equals("--comment");
      out.append(' ').append(comment ? '"' + rule.get(i) + '"' : rule.get(i));
    }
    return out.toString();
  }

  private static Set<String> list(String tool) {
    try {
      Processes.Captured listed = Processes.capture(List.of(tool, "-w", "-t", "filter", "-S"));
      if (listed.exit() != 0) {
        throw new InternalException(tool + " -S exited with " + listed.exit() + ": " + listed.said());
      }
      return new String(listed.stdout(), StandardCharsets.UTF_8).lines().collect(Collectors.toSet());
    } catch (IOException | ErrnoException e) {
      throw new InternalException("running " + tool + ": " + e.getMessage(), e);
    }
  }

  private static int run(List<String> cmd) {
    try {
      return Processes.capture(cmd).exit();
    } catch (IOException | ErrnoException e) {
      throw new InternalException("running " + cmd.getFirst() + ": " + e.getMessage(), e);
    }
  }

  private static void delete(String tool, List<String> rule) {
    var cmd = new ArrayList<>(List.of(tool, "-w", "-t", "filter", "-D"));
    cmd.addAll(rule);
    // Exit status 1 means no such rule: gone since the listing, nothing to remove.
    int status = run(cmd);
    if (status != 0 && status != 1) {
      throw new InternalException(tool + " -D " + String.join(" ", rule) + " exited with " + status);
    }
  }
}
