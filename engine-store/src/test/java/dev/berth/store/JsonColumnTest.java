package dev.berth.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.container.model.RestartPolicy;
import dev.berth.core.error.InternalException;
import dev.berth.core.network.IpamPool;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

  record Rule(String name, Set<String> tags) {}

  record Rich(int version, List<Rule> rules, Map<String, List<String>> byName, Set<String> names,
      List<List<String>> nested) {}

  @Test
  void resolvingEveryColumnAheadLeavesReadsAndWritesAsTheyWere() {
    var column = JsonColumn.of(Warmed.class);
    JsonColumn.resolveAll();
    var doc = new Warmed(1, "n", List.of(new Policy("always", 0)));
    assertEquals(doc, column.read(column.write(doc)));
  }

  @Test
  void aColumnResolvedAheadMakesNoSerializerAtItsFirstWriteWhateverItsCollectionsAre() {
    var column = JsonColumn.of(Rich.class);
    JsonColumn.resolveAll();
    int resolved = JsonColumn.serializersMade();
    var doc = new Rich(1, new ArrayList<>(List.of(new Rule("r", new TreeSet<>(Set.of("a", "b"))))),
        new LinkedHashMap<>(Map.of("k", new ArrayList<>(List.of("v")))), new HashSet<>(Set.of("x")),
        List.of(new LinkedList<>(List.of("y"))));

    String written = column.write(doc);

    assertEquals(resolved, JsonColumn.serializersMade(), "every serializer came with the column's writer");
    assertEquals("{\"version\":1,\"rules\":[{\"name\":\"r\",\"tags\":[\"a\",\"b\"]}],\"byName\":{\"k\":[\"v\"]},"
        + "\"names\":[\"x\"],\"nested\":[[\"y\"]]}", written);
    assertEquals(doc, column.read(written));
  }
}
