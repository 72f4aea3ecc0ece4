package dev.berth.core.network;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Optional;

/**
 * A container's {@code HostConfig.NetworkMode}, parsed in this one place: Docker's words
 * ({@code default}, {@code bridge}, {@code host}, {@code none}, {@code container:<name|id>}) or
 * the name or ID of a network.
 */
public sealed interface NetworkMode {

  /** {@code default}: the default bridge, which a create records as {@code bridge}. */
  record Default() implements NetworkMode {}

  record Bridge() implements NetworkMode {}

  /** The host's own namespace: nothing of berth's to set up. */
  record Host() implements NetworkMode {}

  /** A namespace of its own with only loopback in it. */
  record None() implements NetworkMode {}

  /** The namespace of another container, by its name or ID. */
  record Container(String ref) implements NetworkMode {
    public Container {
      if (ref.isEmpty()) {
        throw new InvalidArgumentException("invalid network mode: container: needs a container name or ID");
      }
    }
  }

  /** A network by name or ID. */
  record Named(String name) implements NetworkMode {}

  static NetworkMode parse(String value) {
    return switch (value) {
      case "", "default" -> new Default();
      case Network.DEFAULT_BRIDGE -> new Bridge();
      case Network.HOST -> new Host();
      case "none" -> new None();
      default -> value.startsWith("container:") ? new Container(value.substring("container:".length()))
          : new Named(value);
    };
  }

  /** As Docker writes it. */
  default String value() {
    return switch (this) {
      case Default d -> "default";
      case Bridge b -> Network.DEFAULT_BRIDGE;
      case Host h -> Network.HOST;
      case None n -> "none";
      case Container c -> "container:" + c.ref();
      case Named n -> n.name();
    };
  }

  /** Whether the container gets a namespace of its own, which berth makes and wires. */
  default boolean ownsNamespace() {
    return !(this instanceof Host) && !(this instanceof Container);
  }

  /** The network the mode itself joins ({@code default} is the default bridge); none for {@code container:}. */
  default Optional<String> network() {
    return switch (this) {
      case Default d -> Optional.of(Network.DEFAULT_BRIDGE);
      case Container c -> Optional.empty();
      default -> Optional.of(value());
    };
  }

  /** Whether other networks may be joined beside it (only bridge-like modes allow that). */
  default boolean sharesNamespace() {
    return this instanceof Host || this instanceof None || this instanceof Container;
  }
}
