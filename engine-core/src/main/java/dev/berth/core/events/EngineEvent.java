package dev.berth.core.events;

import java.time.Instant;
import java.util.Map;

/**
 * Something that happened to an object, as {@code docker events} reports it.
 *
 * @param action Docker's action word: create, start, die, destroy, pull, "exec_start: sh -c x", ...
 * @param actorId the object's ID (a container's 64 hex, an image's reference or ID)
 * @param attributes Docker's actor attributes: name, image, exitCode, signal, labels...
 */
public record EngineEvent(Type type, String action, String actorId, Map<String, String> attributes, Instant time) {

  /** The kinds of objects events are about, spelled as Docker spells them. */
  public enum Type {
    CONTAINER("container"),
    IMAGE("image"),
    VOLUME("volume"),
    NETWORK("network");

    private final String wire;

    Type(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }
  }

  public EngineEvent {
    attributes = Map.copyOf(attributes);
  }
}
