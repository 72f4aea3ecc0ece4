package dev.berth.core.container.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterfaceCountersTest {

  private static final String NET_DEV = """
      Inter-|   Receive                                                |  Transmit
       face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
          lo:     120       2    0    0    0     0          0         0      120       2    0    0    0     0       0          0
        eth0:    5338      36    1    2    0     0          0         0      648       8    3    4    0     0       0          0
        eth1: 1234567    1000    0    0    0     0          0         0   654321     900    0    0    0     0       0          0
      """;

  @Test
  void everyInterfaceButLoopbackWithDockersEightCounters() {
    Map<String, InterfaceCounters> parsed = InterfaceCounters.parse(NET_DEV);
    assertEquals(List.of("eth0", "eth1"), List.copyOf(parsed.keySet()));
    assertEquals(new InterfaceCounters(5338, 36, 1, 2, 648, 8, 3, 4), parsed.get("eth0"));
    assertEquals(new InterfaceCounters(1234567, 1000, 0, 0, 654321, 900, 0, 0), parsed.get("eth1"));
  }

  @Test
  void aNamespaceWithOnlyLoopbackHasNone() {
    assertEquals(Map.of(), InterfaceCounters.parse(NET_DEV.lines().limit(3).reduce("", (a, b) -> a + b + "\n")));
  }
}
