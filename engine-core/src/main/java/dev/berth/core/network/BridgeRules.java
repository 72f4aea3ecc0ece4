package dev.berth.core.network;

import dev.berth.core.error.InternalException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's iptables rules for one bridge network, kept per bridge as dockerd keeps its own, not
 * per container as the CNI firewall plugin and the bridge plugin's ipMasq do (about fifteen
 * iptables processes per container start and nine per stop). Each family the network has gets:
 * <ul>
 *   <li>in BERTH-FORWARD, jumped to first from FORWARD: with {@code enable_icc=false}, a drop of
 *       traffic between the bridge's own containers (in both families even on an IPv4-only
 *       network); a jump to the isolation from every other bridge, dockerd's DOCKER-ISOLATION,
 *       which keeps the rules the firewall plugin's {@code ingressPolicy: same-bridge} wrote, in
 *       its chains and words (CNI-ISOLATION-STAGE-1 and -2), so hosts that have them keep one
 *       set; then accepts: replies to the bridge's containers and what they send from its subnet,
 *       for hosts whose FORWARD policy drops;
 *   <li>with masquerading, {@code POSTROUTING -s <subnet> ! -o <bridge> -j MASQUERADE}.
 * </ul>
 * Every container start lists the rules (one {@code iptables-save} per family) and adds what is
 * missing, so rules deleted under a serving bridge are back with its next container.
 */
public final class BridgeRules {

  static final String ISOLATION_COMMENT = "CNI firewall plugin rules (ingressPolicy: same-bridge)";
  static final String ICC_COMMENT = "berth: enable_icc=false";
  static final String STAGE_1 = "CNI-ISOLATION-STAGE-1";
  static final String STAGE_2 = "CNI-ISOLATION-STAGE-2";
  static final String ACCEPTS = "BERTH-FORWARD";
  private static final Path BRIDGE_NF_CALL_IPTABLES = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
  private static final Path BRIDGE_NF_CALL_IP6TABLES = Path.of("/proc/sys/net/bridge/bridge-nf-call-ip6tables");
  /** Adding is serialised in berthd, so two starts on one bridge never add a rule twice. */
  private static final Object ADDING = new Object();

  private BridgeRules() {}

  /** One rule: its table and chain, whether it goes first in the chain, its match and target. */
  record Rule(String table, String chain, boolean first, List<String> spec) {

    /** As {@code iptables-save} lists it: appended, a comment quoted. */
    String listed() {
      var out = new StringBuilder("-A ").append(chain);
      for (int i = 0; i < spec.size(); i++) {
        boolean comment = i > 0 && spec.get(i - 1).equals("--comment");
        out.append(' ').append(comment ? '"' + spec.get(i) + '"' : spec.get(i));
      }
      return out.toString();
    }
  }

  /** An IP family's tools. */
  enum Family {
    IPV4("iptables", BRIDGE_NF_CALL_IPTABLES), IPV6("ip6tables", BRIDGE_NF_CALL_IP6TABLES);

    final String tool;
    final Path nfCall;

    Family(String tool, Path nfCall) {
      this.tool = tool;
      this.nfCall = nfCall;
    }
  }

  /**
   * Makes sure every rule {@code bridge} needs is there, in each family it has.
   *
   * @param subnet4 the network's IPv4 subnet (a CIDR)
   * @param subnet6 its IPv6 subnet, null if it has none
   */
  public static void ensure(String bridge, String subnet4, String subnet6, boolean icc, boolean masquerade,
      boolean internal) {
    if (!icc) {
      // Bridged traffic between two ports of one bridge reaches iptables only through
      // br_netfilter, which dockerd loads and turns on for this too; in both families, since the
      // drop must not depend on IPv6 being off.
      enable(Family.IPV4, bridge);
      enable(Family.IPV6, bridge);
    }
    ensure(Family.IPV4, needed(bridge, subnet4, icc, masquerade, internal));
    if (subnet6 != null) {
      ensure(Family.IPV6, needed(bridge, subnet6, icc, masquerade, internal));
    } else if (!icc) {
      ensure(Family.IPV6, List.of(JUMP, icc(bridge)));
    }
  }

  /**
   * The rules a bridge needs in one family, in the order they are checked and added. Everything
   * forwarded goes through BERTH-FORWARD, jumped to first in FORWARD (ahead of a host's own
   * rejects, as dockerd's chains and the plugin's were); in it the drops (ICC, the jump to the
   * isolation stages) are always inserted first and the accepts appended, so no accept is ever
   * ahead of a drop, whatever was deleted and added again.
   */
  static List<Rule> needed(String bridge, String subnet, boolean icc, boolean masquerade, boolean internal) {
    var rules = new ArrayList<Rule>();
    rules.add(JUMP);
    if (!icc) {
      rules.add(icc(bridge));
    }
    if (internal) {
      rules.addAll(internal(bridge, subnet));
    }
    rules.addAll(isolation(bridge));
    rules.addAll(accepts(bridge, subnet));
    if (masquerade) {
      rules.add(masquerade(bridge, subnet));
    }
    return rules;
  }

  private static final Rule JUMP = new Rule("filter", "FORWARD", true, List.of("-j", ACCEPTS));

  private static Rule icc(String bridge) {
    return icc(ACCEPTS, bridge);
  }

  private static Rule icc(String chain, String bridge) {
    return new Rule("filter", chain, true,
        List.of("-i", bridge, "-o", bridge, "-m", "comment", "--comment", ICC_COMMENT, "-j", "DROP"));
  }

  /**
   * An internal network's traffic stays on its bridge, as dockerd's DOCKER-ISOLATION rules for one
   * keep it: nothing leaves for another subnet and nothing comes in from one, even from a container
   * that routes around its missing gateway (a route and a neighbour entry naming the bridge's
   * address, or a frame written raw) and so has the host forward for it.
   */
  private static List<Rule> internal(String bridge, String subnet) {
    return List.of(
        new Rule("filter", ACCEPTS, true, List.of("!", "-d", subnet, "-i", bridge, "-j", "DROP")),
        new Rule("filter", ACCEPTS, true, List.of("!", "-s", subnet, "-o", bridge, "-j", "DROP")));
  }

  private static List<Rule> isolation(String bridge) {
    List<String> comment = List.of("-m", "comment", "--comment", ISOLATION_COMMENT, "-j");
    return List.of(
        new Rule("filter", ACCEPTS, true, List.of("-j", STAGE_1)),
        new Rule("filter", STAGE_1, true, with(List.of("-i", bridge, "!", "-o", bridge), comment, STAGE_2)),
        new Rule("filter", STAGE_1, false, with(List.of(), comment, "RETURN")),
        new Rule("filter", STAGE_2, true, with(List.of("-o", bridge), comment, "DROP")),
        new Rule("filter", STAGE_2, false, with(List.of(), comment, "RETURN")));
  }

  /** Replies to what the bridge's containers opened, and what they open themselves. */
  private static List<Rule> accepts(String bridge, String subnet) {
    return List.of(replies(bridge), fromSubnet(bridge, subnet));
  }

  private static Rule replies(String bridge) {
    return new Rule("filter", ACCEPTS, false,
        List.of("-o", bridge, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT"));
  }

  /**
   * dockerd accepts whatever comes from the bridge; this only what comes from its subnet, as the
   * firewall plugin's per-address accepts did: a packet whose source a container made up outside
   * it is left to the FORWARD policy (and is never masqueraded).
   */
  private static Rule fromSubnet(String bridge, String subnet) {
    return new Rule("filter", ACCEPTS, false, List.of("-s", subnet, "-i", bridge, "-j", "ACCEPT"));
  }

  private static Rule masquerade(String bridge, String subnet) {
    return new Rule("nat", "POSTROUTING", false, List.of("-s", subnet, "!", "-o", bridge, "-j", "MASQUERADE"));
  }

  private static List<String> with(List<String> match, List<String> comment, String target) {
    var all = new ArrayList<>(match);
    all.addAll(comment);
    all.add(target);
    return all;
  }

  private static void ensure(Family family, List<Rule> rules) {
    if (missing(save(family), rules).isEmpty()) {
      return;
    }
    synchronized (ADDING) {
      Listing now = save(family);
      for (Rule chain : missing(now, rules)) {
        if (!now.chains.contains(chain.table() + " " + chain.chain()) && !isBuiltIn(chain.chain())) {
          // Exit 1: made meanwhile by another program, which is as good.
          run(family, List.of("-t", chain.table(), "-N", chain.chain()), 0, 1);
          now.chains.add(chain.table() + " " + chain.chain());
        }
      }
      for (Rule r : missing(now, rules)) {
        var check = new ArrayList<>(List.of("-t", r.table(), "-C", r.chain()));
        check.addAll(r.spec());
        // A rule the listing shows otherwise than berth writes it is there all the same.
        if (run(family, check, 0, 1) == 0) {
          continue;
        }
        var add = new ArrayList<>(List.of("-t", r.table()));
        add.addAll(r.first() ? List.of("-I", r.chain(), "1") : List.of("-A", r.chain()));
        add.addAll(r.spec());
        run(family, add, 0);
      }
    }
  }

  private static boolean isBuiltIn(String chain) {
    return chain.equals("FORWARD") || chain.equals("POSTROUTING");
  }

  /** {@code rules} the listing lacks. */
  static List<Rule> missing(Listing listed, List<Rule> rules) {
    return rules.stream().filter(r -> !listed.rules.contains(r.table() + " " + r.listed())).toList();
  }

  /**
   * Removes a deleted bridge's rules from both families, those listed: a rule that is not there
   * is fine, and so is a family whose chains were never made (iptables refuses to delete a rule
   * jumping to a missing chain). The masquerade rule is found by its bridge, whatever its subnet.
   */
  public static void remove(String bridge) {
    for (Family family : Family.values()) {
      Listing listed = save(family);
      List<Rule> isolation = isolation(bridge);
      // The ICC drop is in FORWARD itself where an earlier berth put it.
      var owned = new java.util.LinkedHashSet<>(List.of(icc(bridge), icc("FORWARD", bridge), isolation.get(1),
          isolation.get(3), replies(bridge)));
      for (String line : listed.lines) {
        // The rules that name the bridge's subnet, whatever it was: listed as berth writes them
        // (no comment to quote), so a line's words are the rule.
        List<String> words = List.of(line.split(" "));
        boolean mine = words.get(0).equals("filter") && words.get(2).equals(ACCEPTS)
            || words.get(0).equals("nat") && words.get(2).equals("POSTROUTING") && words.getLast().equals("MASQUERADE");
        if (mine && !line.contains("\"") && names(words, bridge)) {
          owned.add(new Rule(words.get(0), words.get(2), false, words.subList(3, words.size())));
        }
      }
      for (Rule r : owned) {
        for (long n = listed.lines.stream().filter((r.table() + " " + r.listed())::equals).count(); n > 0; n--) {
          var delete = new ArrayList<>(List.of("-t", r.table(), "-D", r.chain()));
          delete.addAll(r.spec());
          // Exit 1: gone since the listing.
          run(family, delete, 0, 1);
        }
      }
    }
  }

  /** Whether a rule's words name {@code bridge} as its in or out interface. */
  private static boolean names(List<String> words, String bridge) {
    for (int i = 1; i < words.size(); i++) {
      if (words.get(i).equals(bridge) && (words.get(i - 1).equals("-i") || words.get(i - 1).equals("-o"))) {
        return true;
      }
    }
    return false;
  }

  /** What {@code iptables-save} lists, each rule and chain prefixed with its table. */
  record Listing(List<String> lines, Set<String> rules, Set<String> chains) {

    static Listing parse(String saved) {
      var lines = new ArrayList<String>();
      var chains = new HashSet<String>();
      String table = "";
      for (String line : saved.lines().toList()) {
        if (line.startsWith("*")) {
          table = line.substring(1).strip();
        } else if (line.startsWith(":")) {
          chains.add(table + " " + line.substring(1, line.indexOf(' ')));
        } else if (line.startsWith("-A ")) {
          lines.add(table + " " + line.strip());
        }
      }
      return new Listing(lines, new HashSet<>(lines), chains);
    }
  }

  private static Listing save(Family family) {
    try {
      Processes.Captured saved = Processes.capture(List.of(family.tool + "-save"));
      if (saved.exit() != 0) {
        throw new InternalException(family.tool + "-save exited with " + saved.exit() + ": " + saved.said());
      }
      return Listing.parse(new String(saved.stdout(), StandardCharsets.UTF_8));
    } catch (IOException | ErrnoException e) {
      throw new InternalException("running " + family.tool + "-save: " + e.getMessage(), e);
    }
  }

  private static void enable(Family family, String bridge) {
    try {
      if (!Files.exists(family.nfCall)) {
        run(List.of("modprobe", "br_netfilter"));
      }
      if (!Files.readString(family.nfCall).strip().equals("1")) {
        Files.writeString(family.nfCall, "1");
      }
    } catch (IOException e) {
      throw new InternalException("enabling br_netfilter for " + bridge + ": " + e.getMessage(), e);
    }
  }

  /** Runs the family's tool with {@code -w}; an exit status other than those allowed is an error. */
  private static int run(Family family, List<String> args, int... allowed) {
    var cmd = new ArrayList<>(List.of(family.tool, "-w"));
    cmd.addAll(args);
    int status = run(cmd);
    for (int ok : allowed) {
      if (status == ok) {
        return status;
      }
    }
    throw new InternalException(String.join(" ", cmd) + " exited with " + status);
  }

  private static int run(List<String> cmd) {
    try {
      return Processes.capture(cmd).exit();
    } catch (IOException | ErrnoException e) {
      throw new InternalException("running " + cmd.getFirst() + ": " + e.getMessage(), e);
    }
  }
}
