package dev.berth.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * One line conmon writes on its sync pipe: {@code {"data": N}} or {@code {"data": -1, "message":
 * "..."}}. After a create, N is the container's pid; after an exec it is also, later, the exit code.
 */
record SyncMessage(int data, String message) {

  private static final ObjectMapper JSON = new ObjectMapper();

  static SyncMessage parse(String line) throws IOException {
    JsonNode node = JSON.readTree(line);
    if (node == null || !node.path("data").canConvertToInt()) {
      throw new IOException("unexpected message from conmon: " + line);
    }
    return new SyncMessage(node.get("data").asInt(), node.path("message").asText(""));
  }

  boolean failed() {
    return data < 0;
  }

  /** The runtime's error, as it worded it. */
  String runtimeError() {
    return OciRuntime.errorMessage(message);
  }
}
