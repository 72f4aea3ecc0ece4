package dev.berth.core.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {

  @Test
  void dockerHubsBearerChallenge() {
    var c = Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
        + "scope=\"repository:library/busybox:pull\"");
    assertEquals(List.of(new Challenge("bearer", Map.of("realm", "https://auth.docker.io/token",
        "service", "registry.docker.io", "scope", "repository:library/busybox:pull"))), c);
  }

  @Test
  void distributionsBasicChallengeAndSchemeCase() {
    assertEquals(List.of(new Challenge("basic", Map.of("realm", "berth-test"))),
        Challenge.parse("Basic realm=\"berth-test\""));
    assertEquals("basic", Challenge.parse("BASIC realm=x").getFirst().scheme());
  }

  @Test
  void severalChallengesSpacesTokensAndEscapes() {
    var c = Challenge.parse("Basic realm=\"a b\", Bearer realm=https://h/token , service = \"s\\\"q\"");
    assertEquals(2, c.size());
    assertEquals("a b", c.get(0).param("realm"));
    assertEquals("https://h/token", c.get(1).param("realm"));
    assertEquals("s\"q", c.get(1).param("service"));
  }

  @Test
  void emptyAndMissing() {
    assertEquals(List.of(), Challenge.parse(null));
    assertEquals(List.of(), Challenge.parse(""));
    assertEquals(List.of(new Challenge("bearer", Map.of())), Challenge.parse("Bearer"));
  }
}
