package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;

/** What {@code POST /containers/{id}/wait} waits for. */
public enum WaitCondition {
  NOT_RUNNING("not-running"),
  NEXT_EXIT("next-exit"),
  REMOVED("removed");

  private final String wire;

  WaitCondition(String wire) {
    this.wire = wire;
  }

  /** An empty condition means not-running, as in dockerd. */
  public static WaitCondition parse(String s) {
    if (s == null || s.isEmpty()) {
      return NOT_RUNNING;
    }
    for (WaitCondition c : values()) {
      if (c.wire.equals(s)) {
        return c;
      }
    }
    throw new InvalidArgumentException("invalid condition: \"" + s + "\"");
  }
}
