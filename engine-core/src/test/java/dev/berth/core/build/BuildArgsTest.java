package dev.berth.core.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildArgsTest {

  private static Map<String, String> given(String... kv) {
    var m = new HashMap<String, String>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void aStageSeesOnlyWhatItDeclaresWithTheClientsValuesOverDefaults() {
    var root = new BuildArgs(given("A", "client", "B", null, "HTTP_PROXY", "http://p", "UNUSED", "x"));
    root.addMeta("V", "1.0");
    assertEquals(Map.of("V", "1.0"), root.metaValues());
    var stage = root.forStage();
    assertEquals(List.of("HTTP_PROXY=http://p"), stage.filterAllowed(List.of()));
    stage.add("A", "default");
    stage.add("B", "declared");
    stage.add("V", null);
    assertEquals(List.of("A=client", "B=declared", "V=1.0", "HTTP_PROXY=http://p"), stage.filterAllowed(List.of()));
    assertEquals(List.of("B=declared", "V=1.0", "HTTP_PROXY=http://p"), stage.filterAllowed(List.of("A=env")),
        "an ENV of the same name wins");
    assertTrue(stage.referencedOrNotBuiltin("A"));
    assertTrue(!stage.referencedOrNotBuiltin("HTTP_PROXY"), "an undeclared proxy arg stays out of the cache key");
    assertEquals(List.of("UNUSED"), root.unused());
  }
}
