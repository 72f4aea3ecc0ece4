package dev.berth.core.fs;

import java.util.ArrayList;

/**
 * Go's {@code path.Clean} and {@code path.Join} for absolute container paths, which dockerd
 * applies to mount targets, WORKDIR changes and tar link names: the same input must become the
 * same path here as there.
 */
public final class GoPath {

  private GoPath() {}

  /** No empty, "." or ".." components, no trailing slash, never above /. */
  public static String clean(String path) {
    var parts = new ArrayList<String>();
    for (String c : path.split("/")) {
      if (c.isEmpty() || c.equals(".")) {
        continue;
      }
      if (c.equals("..")) {
        if (!parts.isEmpty()) {
          parts.removeLast();
        }
        continue;
      }
      parts.add(c);
    }
    return "/" + String.join("/", parts);
  }

  /** {@code rel} joined under the absolute {@code base}, cleaned. */
  public static String join(String base, String rel) {
    return clean(base + "/" + rel);
  }
}
