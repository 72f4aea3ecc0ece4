package dev.berth.core.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The first error of a registry's error body ({@code {"errors":[{"code":"MANIFEST_UNKNOWN",
 * "message":"manifest unknown"}]}}), as distribution's errcode.Error, whose text is
 * {@code "<code lowercased, underscores as spaces>: <message>"}: clients print that text.
 *
 * @param code empty when the body carried none
 */
record RegistryError(int status, String code, String message) {

  static final String DENIED = "DENIED";
  static final String UNAUTHORIZED = "UNAUTHORIZED";
  static final String MANIFEST_UNKNOWN = "MANIFEST_UNKNOWN";
  static final String NAME_UNKNOWN = "NAME_UNKNOWN";
  static final String BLOB_UNKNOWN = "BLOB_UNKNOWN";

  private static final ObjectMapper JSON = new ObjectMapper();

  static RegistryError parse(int status, byte[] body) {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode first = root == null ? null : root.path("errors").path(0);
      if (first != null && first.isObject()) {
        return new RegistryError(status, first.path("code").asText(""), first.path("message").asText(""));
      }
      // Token servers answer {"details": "..."} or {"error": "..."}.
      if (root != null && root.isObject()) {
        String details = root.path("details").asText(root.path("error").asText(""));
        if (!details.isEmpty()) {
          return new RegistryError(status, "", details);
        }
      }
    } catch (IOException e) {
      // not JSON: fall through to the status
    }
    String text = new String(body, StandardCharsets.UTF_8).strip();
    return new RegistryError(status, "", text.length() > 200 || text.startsWith("<") ? "" : text);
  }

  boolean is(String c) {
    return code.equals(c);
  }

  /** distribution's wording: {@code manifest unknown: manifest unknown}, or the HTTP status when no code came. */
  String describe() {
    if (!code.isEmpty()) {
      return code.toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + message;
    }
    if (!message.isEmpty()) {
      return message;
    }
    return "received unexpected HTTP status: " + status + " " + Transport.statusText(status);
  }
}
