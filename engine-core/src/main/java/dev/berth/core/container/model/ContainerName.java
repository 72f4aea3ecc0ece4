package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;
import java.util.regex.Pattern;

/** A container name without Docker's leading slash; {@link #slashed()} adds it back. */
public record ContainerName(String value) {

  private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

  public ContainerName {
    if (value == null || !VALID.matcher(value).matches()) {
      throw new InvalidArgumentException(
          "Invalid container name (" + value + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
    }
  }

  /** Accepts the name with or without the leading slash Docker's API uses. */
  public static ContainerName parse(String s) {
    return new ContainerName(s != null && s.startsWith("/") ? s.substring(1) : s);
  }

  public String slashed() {
    return "/" + value;
  }

  @Override
  public String toString() {
    return value;
  }
}
