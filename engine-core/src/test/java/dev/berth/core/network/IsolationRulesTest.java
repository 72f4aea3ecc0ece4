package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Issue 15: the bridge's isolation is seen in place only when every rule the firewall plugin would check is there. */
class IsolationRulesTest {

  private static final String C = "-m comment --comment \"CNI firewall plugin rules (ingressPolicy: same-bridge)\"";

  /** `iptables -S` of a host with two isolated bridges, as the plugin (1.1.1) leaves it. */
  private static final String LISTED = String.join("\n",
      "-P INPUT ACCEPT",
      "-P FORWARD ACCEPT",
      "-N CNI-ADMIN",
      "-N CNI-FORWARD",
      "-N CNI-ISOLATION-STAGE-1",
      "-N CNI-ISOLATION-STAGE-2",
      "-A FORWARD " + C + " -j CNI-ISOLATION-STAGE-1",
      "-A FORWARD -m comment --comment \"CNI firewall plugin rules\" -j CNI-FORWARD",
      "-A CNI-ISOLATION-STAGE-1 -i br0 ! -o br0 " + C + " -j CNI-ISOLATION-STAGE-2",
      "-A CNI-ISOLATION-STAGE-1 -i br10 ! -o br10 " + C + " -j CNI-ISOLATION-STAGE-2",
      "-A CNI-ISOLATION-STAGE-1 " + C + " -j RETURN",
      "-A CNI-ISOLATION-STAGE-2 -o br0 " + C + " -j DROP",
      "-A CNI-ISOLATION-STAGE-2 -o br10 " + C + " -j DROP",
      "-A CNI-ISOLATION-STAGE-2 " + C + " -j RETURN") + "\n";

  @Test
  void aBridgeWithEveryRuleIsInPlace() {
    assertTrue(IsolationRules.inPlace(LISTED, "br0"));
    assertTrue(IsolationRules.inPlace(LISTED, "br10"));
  }

  @Test
  void aBridgeMissingAnyRuleIsNot() {
    assertFalse(IsolationRules.inPlace(LISTED, "br1"), "a bridge whose name begins another's");
    assertFalse(IsolationRules.inPlace(LISTED, "br"), "a bridge whose name begins another's");
    for (String line : LISTED.lines().filter(l -> l.contains("ISOLATION") && l.startsWith("-A")).toList()) {
      String without = LISTED.replace(line + "\n", "");
      if (line.contains("br10")) {
        continue;
      }
      assertFalse(IsolationRules.inPlace(without, "br0"), "without: " + line);
    }
    assertFalse(IsolationRules.inPlace("", "br0"));
  }

  @Test
  void theRulesRemovedWithABridgeAreMatchedAsTheTableListsThem() {
    var kept = IsolationRules.kept("br0").stream().map(IsolationRules::listed).toList();
    assertEquals("-A FORWARD -i br0 -o br0 -m comment --comment \"berth: enable_icc=false\" -j DROP", kept.get(0));
    assertTrue(LISTED.lines().toList().containsAll(kept.subList(1, 3)), kept.toString());
  }
}
