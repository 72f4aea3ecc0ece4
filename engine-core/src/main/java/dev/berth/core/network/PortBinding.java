package dev.berth.core.network;

/**
 * A published port: {@code -p [hostIp:][hostPort:]containerPort[/protocol]}.
 *
 * @param hostIp empty for every address (Docker's 0.0.0.0)
 * @param hostPort 0 for one the engine picks
 */
public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {

  public PortBinding {
    protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
    hostIp = hostIp == null ? "" : hostIp;
  }

  public PortBinding withHostPort(int port) {
    return new PortBinding(containerPort, protocol, hostIp, port);
  }

  /** Docker's key for it: {@code 8080/tcp}. */
  public String portKey() {
    return containerPort + "/" + protocol;
  }
}
