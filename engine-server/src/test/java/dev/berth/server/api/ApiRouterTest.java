package dev.berth.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ApiRouterTest {

  @Test
  void versionsInsideTheSupportedRangeParse() {
    assertEquals(new ApiVersion(1, 24), ApiVersion.parse("1.24"));
    assertEquals(new ApiVersion(1, 51), ApiVersion.parse("1.51"));
    assertTrue(ApiVersion.parse("1.44").atLeast(1, 42));
  }

  @Test
  void versionsOutsideTheRangeAreRefusedWithDockerdsWording() {
    var old = assertThrows(InvalidArgumentException.class, () -> ApiVersion.parse("1.12"));
    assertEquals("client version 1.12 is too old. Minimum supported API version is 1.24, please upgrade your "
        + "client to a newer version", old.getMessage());
    var young = assertThrows(InvalidArgumentException.class, () -> ApiVersion.parse("1.99"));
    assertEquals("client version 1.99 is too new. Maximum supported API version is 1.51", young.getMessage());
    assertThrows(InvalidArgumentException.class, () -> ApiVersion.parse("abc"));
  }

  @Test
  void templatesWithAGreedyParameterKeepTheirPlainFormInTheTable() {
    var router = new ApiRouter();
    router.get("/images/{name*}/json", (req, res) -> { });
    router.get("/containers/{id}/json", (req, res) -> { });
    assertEquals(new ApiRouter.Route("GET", "/images/{name}/json"), router.routes().get(0));
    assertEquals(new ApiRouter.Route("GET", "/containers/{id}/json"), router.routes().get(1));
  }

  @Test
  void queryBooleansFollowGo() {
    for (String f : new String[] {"", "0", "no", "false", "none", "FALSE", " No "}) {
      assertEquals(false, ApiRequest.truthy(f), f);
    }
    for (String t : new String[] {"1", "true", "yes", "True", "anything"}) {
      assertEquals(true, ApiRequest.truthy(t), t);
    }
  }
}
