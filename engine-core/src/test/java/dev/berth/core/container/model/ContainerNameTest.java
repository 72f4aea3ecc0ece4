package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** moby daemon/names.go {@code reserveName}: {@code ^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$}. */
class ContainerNameTest {

  @ParameterizedTest
  @ValueSource(strings = {"web", "ab", "Web-1", "my_app.v2", "0x", "a--b__c..d"})
  void validNamesAreKept(String name) {
    assertEquals(name, new ContainerName(name).value());
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "-web", "_web", ".web", "web app", "web/1", "wéb", "web:1", "/web"})
  void invalidNamesAreRefusedWithDockersMessage(String name) {
    var e = assertThrows(InvalidArgumentException.class, () -> new ContainerName(name));
    assertEquals("Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", e.getMessage());
  }

  @Test
  void emptyAndNullAreRefused() {
    assertThrows(InvalidArgumentException.class, () -> new ContainerName(""));
    assertThrows(InvalidArgumentException.class, () -> new ContainerName(null));
    assertThrows(InvalidArgumentException.class, () -> ContainerName.parse(null));
    assertThrows(InvalidArgumentException.class, () -> ContainerName.parse("/"));
  }

  @Test
  void parseAcceptsTheLeadingSlashOfTheApi() {
    assertEquals(new ContainerName("web"), ContainerName.parse("/web"));
    assertEquals(new ContainerName("web"), ContainerName.parse("web"));
  }

  @Test
  void parseRefusesASecondSlash() {
    assertThrows(InvalidArgumentException.class, () -> ContainerName.parse("//web"));
  }

  @Test
  void slashedAddsTheSlashAndToStringDoesNot() {
    var n = new ContainerName("web");
    assertEquals("/web", n.slashed());
    assertEquals("web", n.toString());
  }
}
