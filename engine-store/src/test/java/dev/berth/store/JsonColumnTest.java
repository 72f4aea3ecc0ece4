package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.error.InternalException;
import dev.berth.core.network.IpamPool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonColumnTest {

  record Policy(String name, int maxRetryCount) {}

  record Direct(int version, RestartPolicy policy) {}

  record InAList(int version, List<IpamPool> pools) {}

  record InAMap(int version, Map<String, List<IpamPool>> pools) {}

  @Test
  void aDocumentThatReachesACoreRecordIsRefused() {
    // Its stored shape would follow the core's field names: a rename would change it silently.
    for (Class<?> type : List.of(Direct.class, InAList.class, InAMap.class, IpamPool[].class)) {
      var e = assertThrows(IllegalArgumentException.class, () -> JsonColumn.of(type), type.getName());
      assertEquals(true, e.getMessage().contains("reaches core type dev.berth.core."), e.getMessage());
    }
  }

  @Test
  void whatTheCoreRefusesReadsAsACorruptRow() {
    var column = JsonColumn.of(Policy.class);

    var e = assertThrows(InternalException.class,
        () -> column.read("{\"name\":\"often\"}", p -> new RestartPolicy(p.name(), p.maxRetryCount())));
    assertEquals("corrupt Policy in database: invalid restart policy: unknown policy 'often'; use one of 'no', "
        + "'always', 'on-failure', or 'unless-stopped'", e.getMessage());
  }

  @Test
  void anInternalRefusalPassesThroughAsItIs() {
    var column = JsonColumn.of(Policy.class);
    var refusal = new InternalException("container x has config version 2, this berth reads only 1");

    assertSame(refusal, assertThrows(InternalException.class, () -> column.read("{}", p -> {
      throw refusal;
    })));
  }

  @Test
  void missingFieldsReadAsNullAndUnknownOnesAreIgnored() {
    var column = JsonColumn.of(Policy.class);

    assertEquals(new Policy(null, 0), column.read("{\"future\":[1]}"));
    assertEquals("{\"name\":\"always\",\"maxRetryCount\":0}", column.write(new Policy("always", 0)));
  }

  record Warmed(int version, String name, List<Policy> policies) {}

  @Test
  void resolvingEveryColumnAheadLeavesReadsAndWritesAsTheyWere() {
    var column = JsonColumn.of(Warmed.class);
    JsonColumn.resolveAll();
    var doc = new Warmed(1, "n", List.of(new Policy("always", 0)));
    assertEquals(doc, column.read(column.write(doc)));
  }
}
