package dev.berth.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The checker GeneratedClientIT holds berthd's answers with: it must fail a property the spec does
 * not name (also one level down, and beside properties an {@code allOf} brings in) and a required
 * property that is missing, and pass what the spec describes.
 */
class ResponseSchemasTest {

  private static final ResponseSchemas SCHEMAS = ResponseSchemas.ofBerthYaml();
  private static final Optional<String> JSON = Optional.of("application/json");
  private static final String ID = "0123456789abcdef".repeat(4);

  private static List<String> problems(String method, String path, int status, String body) {
    return SCHEMAS.problems(method, path, status, JSON, body.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertOneProblemNaming(String what, List<String> problems) {
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains(what), problems.toString());
  }

  @Test
  void whatTheSpecDescribesPasses() {
    assertEquals(List.of(), problems("POST", "/containers/abc/wait", 200, "{\"StatusCode\": 0}"));
    assertEquals(List.of(), problems("GET", "/v1.41/containers/abc/json", 200,
        "{\"Id\": \"" + ID + "\", \"HostConfig\": {\"Memory\": 1, \"Binds\": null, "
            + "\"Sysctls\": {\"net.ipv4.ip_forward\": \"1\"}}}"));
    assertEquals(List.of(), problems("GET", "/images/localhost:5000/a/b:1/json", 200, "{\"Id\": \"sha256:1\"}"));
  }

  @Test
  void aPropertyTheSpecLacksFails() {
    assertOneProblemNaming("Extra", problems("POST", "/containers/abc/wait", 200, "{\"StatusCode\": 0, \"Extra\": 1}"));
    assertOneProblemNaming("Bogus", problems("GET", "/containers/abc/json", 200,
        "{\"Id\": \"" + ID + "\", \"HostConfig\": {\"Memory\": 1, \"Binds\": [], \"Bogus\": true}}"));
    assertOneProblemNaming("$[1]", problems("GET", "/containers/json", 200,
        "[{\"Id\": \"" + ID + "\"}, {\"Id\": \"" + ID + "\", \"Bogus\": 1}]"));
    assertOneProblemNaming("code", problems("GET", "/containers/abc/json", 404,
        "{\"message\": \"No such container\", \"code\": 1}"));
  }

  @Test
  void aMissingRequiredPropertyFails() {
    assertOneProblemNaming("StatusCode", problems("POST", "/containers/abc/wait", 200, "{}"));
    assertOneProblemNaming("message", problems("DELETE", "/volumes/v", 404, "{}"));
  }

  @Test
  void aValueOfTheWrongTypeFails() {
    assertOneProblemNaming("StatusCode", problems("POST", "/containers/abc/wait", 200, "{\"StatusCode\": \"0\"}"));
  }

  @Test
  void everyValueOfAStreamIsChecked() {
    assertOneProblemNaming("bogus", problems("POST", "/images/create", 200,
        "{\"status\": \"a\"}\n{\"status\": \"b\", \"bogus\": 1}\n"));
  }

  @Test
  void aStatusOrMediaTypeTheSpecDoesNotListFails() {
    assertOneProblemNaming("no such status", problems("GET", "/_ping", 418, "{\"message\": \"teapot\"}"));
    assertOneProblemNaming("text/html", SCHEMAS.problems("GET", "/containers/abc/json", 200, Optional.of("text/html"),
        "<html/>".getBytes(StandardCharsets.UTF_8)));
    assertOneProblemNaming("no operation", problems("GET", "/no/such/route", 200, "{}"));
  }
}
