package dev.berth.server.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.image.registry.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryAuthTranslatorTest {

  private static String url(String json) {
    return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theHeaderTheCliSends() {
    assertEquals(new Credentials("me", "pw", "", ""),
        RegistryAuthTranslator.header(url("{\"username\":\"me\",\"password\":\"pw\",\"serveraddress\":\"h:5000\"}")));
    // Padding dropped, keys in any case, "auth" filling in the pair.
    String auth = Base64.getEncoder().encodeToString("u:p:w".getBytes(StandardCharsets.UTF_8));
    assertEquals(new Credentials("u", "p:w", "", ""),
        RegistryAuthTranslator.header(url("{\"Auth\":\"" + auth + "\"}").replace("=", "")));
    assertEquals(new Credentials("", "", "id", "rt"),
        RegistryAuthTranslator.header(url("{\"identitytoken\":\"id\",\"registrytoken\":\"rt\"}")));
  }

  @Test
  void missingOrBrokenHeadersAreAnonymous() {
    assertEquals(Credentials.NONE, RegistryAuthTranslator.header(null));
    assertEquals(Credentials.NONE, RegistryAuthTranslator.header(url("{}")));
    assertEquals(Credentials.NONE, RegistryAuthTranslator.header("!!!"));
    assertEquals(Credentials.NONE, RegistryAuthTranslator.header(url("not json")));
  }
}
