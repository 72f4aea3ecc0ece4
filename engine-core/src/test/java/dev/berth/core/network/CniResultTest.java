package dev.berth.core.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CniResultTest {

  @Test
  void theBridgePluginsResultReadsAsTypes() throws Exception {
    // As Debian's bridge plugin (with host-local) answers an ADD.
    var json = new ObjectMapper().readTree("""
        {"cniVersion":"1.0.0","interfaces":[{"name":"berth0","mac":"aa:bb:cc:00:00:01"},
         {"name":"veth1234","mac":"aa:bb:cc:00:00:02"},
         {"name":"eth0","mac":"02:42:ac:11:00:02","sandbox":"/run/berth/netns/abc"}],
         "ips":[{"interface":2,"address":"172.17.0.2/16","gateway":"172.17.0.1"}],
         "dns":{}}""");
    CniResult r = CniResult.of(json);
    assertEquals("02:42:ac:11:00:02", r.sandboxInterface("eth0").orElseThrow().mac());
    assertEquals(Optional.empty(), r.sandboxInterface("berth0"), "a host-side interface is not the container's");
    assertEquals(new CniResult.Ip("172.17.0.2", 16, "172.17.0.1", Optional.of(2)), r.firstIp().orElseThrow());
    assertEquals(json, r.json(), "kept whole for the next plugin and the DEL");
  }

  @Test
  void aResultWithoutAddressesHasNone() throws Exception {
    CniResult r = CniResult.of(new ObjectMapper().readTree("{\"cniVersion\":\"1.0.0\"}"));
    assertEquals(Optional.empty(), r.firstIp());
    assertEquals(0, r.interfaces().size());
  }
}
