package dev.berth.core.network;

/**
 * A published port: {@code -p [hostIp:][hostPort[-hostPortEnd]:]containerPort[/protocol]}.
 *
 * @param hostIp empty for every address (Docker's 0.0.0.0)
 * @param hostPort 0 for one the engine picks
 * @param hostPortEnd the last port of a range to pick the first free one from; 0 for a single port
 */
public record PortBinding(int containerPort, String protocol, String hostIp, int hostPort, int hostPortEnd) {

  public PortBinding {
    protocol = protocol == null || protocol.isEmpty() ? "tcp" : protocol;
    hostIp = hostIp == null ? "" : hostIp;
    hostPortEnd = hostPortEnd <= hostPort ? 0 : hostPortEnd;
  }

  public PortBinding(int containerPort, String protocol, String hostIp, int hostPort) {
    this(containerPort, protocol, hostIp, hostPort, 0);
  }

  /** The binding as published: one host port. */
  public PortBinding withHostPort(int port) {
    return new PortBinding(containerPort, protocol, hostIp, port, 0);
  }

  /** Docker's key for it: {@code 8080/tcp}. */
  public String portKey() {
    return containerPort + "/" + protocol;
  }

  /** The host port as the client wrote it: {@code 8000}, {@code 8000-8010}, or empty for any. */
  public String hostPortSpec() {
    return hostPort == 0 ? "" : hostPortEnd == 0 ? Integer.toString(hostPort) : hostPort + "-" + hostPortEnd;
  }
}
