package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** moby api/types/container {@code ValidateRestartPolicy}, after create turns an empty name into "no". */
class RestartPolicyTest {

  private static String message(String name, int count) {
    return assertThrows(InvalidArgumentException.class, () -> new RestartPolicy(name, count)).getMessage();
  }

  @ParameterizedTest
  @ValueSource(strings = {"no", "always", "unless-stopped", "on-failure"})
  void knownPoliciesWithoutRetriesAreAccepted(String name) {
    var p = new RestartPolicy(name, 0);
    assertEquals(name, p.name());
    assertEquals(0, p.maxRetryCount());
  }

  @Test
  void emptyOrNullNameMeansNo() {
    assertEquals(RestartPolicy.NO, new RestartPolicy("", 0));
    assertEquals(RestartPolicy.NO, new RestartPolicy(null, 0));
  }

  @Test
  void onFailureTakesARetryCount() {
    assertEquals(5, new RestartPolicy("on-failure", 5).maxRetryCount());
  }

  @Test
  void negativeRetryCountIsRefusedForOnFailure() {
    assertEquals("invalid restart policy: maximum retry count cannot be negative", message("on-failure", -1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"no", "always", "unless-stopped", ""})
  void retryCountIsOnlyForOnFailure(String name) {
    assertEquals("invalid restart policy: maximum retry count can only be used with 'on-failure'", message(name, 3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"no", "always", "unless-stopped"})
  void negativeRetryCountElsewhereSaysBoth(String name) {
    assertEquals("invalid restart policy: maximum retry count can only be used with 'on-failure' and cannot be "
        + "negative", message(name, -2));
  }

  @Test
  void unknownPolicyListsTheValidOnes() {
    assertEquals("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or "
        + "'unless-stopped'", message("sometimes", 0));
    assertEquals("invalid restart policy: unknown policy 'Always'; use one of 'no', 'always', 'on-failure', or "
        + "'unless-stopped'", message("Always", 0));
  }
}
