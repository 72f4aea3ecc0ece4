package dev.berth.core.container.model;

/**
 * Docker's status word for a state, needed by the core only to filter by it. The wire
 * representation (capitalised "Up 3 seconds" etc.) is the server's business.
 */
public final class ContainerStatus {

  private ContainerStatus() {}

  public static String of(ContainerState s) {
    return switch (s) {
      case ContainerState.Created c -> "created";
      case ContainerState.Running r -> "running";
      case ContainerState.Paused p -> "paused";
      case ContainerState.Exited e -> "exited";
      case ContainerState.Restarting r -> "restarting";
      case ContainerState.Dead d -> "dead";
    };
  }
}
