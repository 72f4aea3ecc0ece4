package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;

/** Docker's restart policies; {@code maxRetryCount} only means something for on-failure. */
public record RestartPolicy(String name, int maxRetryCount) {

  public static final RestartPolicy NO = new RestartPolicy("no", 0);

  public RestartPolicy {
    name = name == null || name.isEmpty() ? "no" : name;
    switch (name) {
      case "no", "always", "unless-stopped" -> {
        if (maxRetryCount != 0) {
          throw new InvalidArgumentException(
              "invalid restart policy: maximum retry count can only be used with 'on-failure'"
                  + (maxRetryCount < 0 ? " and cannot be negative" : ""));
        }
      }
      case "on-failure" -> {
        if (maxRetryCount < 0) {
          throw new InvalidArgumentException("invalid restart policy: maximum retry count cannot be negative");
        }
      }
      default -> throw new InvalidArgumentException("invalid restart policy: unknown policy '" + name
          + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
    }
  }
}
