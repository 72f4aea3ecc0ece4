package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cni over stand-in plugins (shell scripts that log their command and config and pass a result on). */
class CniTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ID = "c".repeat(64);

  @TempDir
  Path dir;

  private Path plugins() throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String type : List.of("bridge", "portmap", "firewall")) {
      // Each logs "<command> <type> <config>" on one line; ADD answers with an address.
      Path p = bin.resolve(type);
      Files.writeString(p, "#!/bin/sh\nconf=$(cat | tr -d '\\n')\necho \"$CNI_COMMAND " + type + " $conf\" >> "
          + dir.resolve("calls") + "\n"
          // A plugin dies in its DEL while the file "fail-<type>" is there, as if killed.
          + "[ \"$CNI_COMMAND\" = DEL ] && [ -e " + dir.resolve("fail-" + type) + " ] && kill -9 $$\n"
          + "[ \"$CNI_COMMAND\" = ADD ] && echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.9.0.2/24\"}]}'\n"
          + "exit 0\n");
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin;
  }

  /** eth0 of the container on "net" through the bridge and firewall plugins, without ports. */
  private static Cni.Attachment bridgeAndFirewall() {
    return new Cni.Attachment(ID, null, "eth0", "net", List.of(plugin("bridge"), plugin("firewall")), Map.of(),
        Map.of());
  }

  private static ObjectNode plugin(String type) {
    return JSON.createObjectNode().put("type", type);
  }

  private List<String> calls(String command) throws IOException {
    return Files.readAllLines(dir.resolve("calls")).stream().filter(l -> l.startsWith(command + " ")).toList();
  }

  @Test
  void deleteRunsTheChainAndPortMappingsAddHadWhateverTheCallerNowKnows() throws Exception {
    var cni = new Cni(plugins(), dir.resolve("results"));
    Map<String, Object> ports = Map.of("portMappings", List.of(Map.of("hostPort", 8080, "containerPort", 80,
        "protocol", "tcp", "hostIP", "")));
    var added = new Cni.Attachment(ID, null, "eth0", "net", List.of(plugin("bridge"),
        (ObjectNode) plugin("portmap").set("capabilities", JSON.createObjectNode().put("portMappings", true)),
        plugin("firewall")), Map.of(), ports);
    cni.add(added).complete().join();

    // After a crash the record never had the ports, so the caller's attachment lacks portmap.
    cni.delete(bridgeAndFirewall());

    List<String> deletes = calls("DEL");
    assertEquals(3, deletes.size(), "every plugin ADD ran is asked to undo: " + deletes);
    String portmap = deletes.stream().filter(l -> l.startsWith("DEL portmap ")).findFirst().orElseThrow();
    assertTrue(portmap.contains("\"hostPort\":8080"), portmap);
    assertTrue(portmap.contains("10.9.0.2/24"), "with ADD's result: " + portmap);
    assertTrue(cni.attached(dir.resolve("leases")).isEmpty(), "nothing kept after DEL");
  }

  @Test
  void aContainerCountsAsAttachedFromItsAddToItsDel() throws Exception {
    var cni = new Cni(plugins(), dir.resolve("results"));
    var a = bridgeAndFirewall();
    cni.add(a).complete().join();
    assertEquals(java.util.Set.of(ID), cni.attached(dir.resolve("leases")));
  }

  @Test
  void aDelThatFailedIsDoneAgainByTheNextAddOrForAGoneContainer() throws Exception {
    var cni = new Cni(plugins(), dir.resolve("results"));
    var a = bridgeAndFirewall();
    cni.add(a).complete().join();
    Files.createFile(dir.resolve("fail-firewall"));
    assertThrows(RuntimeException.class, () -> cni.delete(a));
    assertEquals(java.util.Set.of(ID), cni.attached(dir.resolve("leases")), "kept for the DEL to be done again");

    Files.delete(dir.resolve("fail-firewall"));
    cni.add(a).complete().join();
    // ADD, ADD, the failed DEL's two (in either order: they run at once), then the next ADD's DELs first.
    List<String> calls = Files.readAllLines(dir.resolve("calls")).stream().map(l -> l.split(" ")[0] + " "
        + l.split(" ")[1]).toList();
    assertEquals(java.util.Set.of("DEL bridge", "DEL firewall"), java.util.Set.copyOf(calls.subList(4, 6)),
        calls.toString());
    assertEquals(List.of("ADD bridge", "ADD firewall"), calls.subList(6, 8));

    Files.createFile(dir.resolve("fail-bridge"));
    assertThrows(RuntimeException.class, () -> cni.delete(a));
    Files.delete(dir.resolve("fail-bridge"));
    cni.deleteKept(ID);
    assertTrue(cni.attached(dir.resolve("leases")).isEmpty(), "done for a container that is gone");
    String last = Files.readAllLines(dir.resolve("calls")).getLast();
    assertTrue(last.startsWith("DEL ") && last.contains("10.9.0.2/24"), "with ADD's result: " + last);
  }
}
