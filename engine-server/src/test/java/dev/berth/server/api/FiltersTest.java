package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FiltersTest {

  @Test
  void goClientsSendMapsOfBooleans() {
    var f = Filters.parse("{\"status\":{\"exited\":true,\"created\":true,\"running\":false}}");
    assertEquals(List.of("exited", "created"), f.get("status"));
  }

  @Test
  void pythonAndJavaClientsSendLists() {
    var f = Filters.parse("{\"label\":[\"a=b\",\"c\"]}");
    assertEquals(List.of("a=b", "c"), f.get("label"));
  }

  @Test
  void emptyMeansNoFilter() {
    assertEquals(List.of(), Filters.parse("").get("x"));
    assertEquals(List.of(), Filters.parse(null).get("x"));
  }

  @Test
  void malformedAndUnknownFiltersAreBadRequests() {
    assertThrows(InvalidArgumentException.class, () -> Filters.parse("{not json"));
    assertThrows(InvalidArgumentException.class, () -> Filters.parse("[1]"));
    var e = assertThrows(InvalidArgumentException.class, () -> Filters.parse("{\"bogus\":[\"x\"]}").only(Set.of("id")));
    assertEquals("invalid filter 'bogus'", e.getMessage());
  }
}
