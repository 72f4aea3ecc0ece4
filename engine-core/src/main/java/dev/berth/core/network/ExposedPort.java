package dev.berth.core.network;

/** A container port as images and {@code --expose} name it: {@code 80/tcp}, or {@code 80} for TCP. */
public record ExposedPort(int port, String protocol) {

  public static ExposedPort parse(String spec) {
    int slash = spec.indexOf('/');
    return slash < 0 ? new ExposedPort(Integer.parseInt(spec), "tcp")
        : new ExposedPort(Integer.parseInt(spec.substring(0, slash)), spec.substring(slash + 1));
  }

  /** Docker's key for it: {@code 80/tcp}. */
  public String key() {
    return port + "/" + protocol;
  }

  public boolean isPublishedBy(PortBinding b) {
    return b.containerPort() == port && b.protocol().equals(protocol);
  }
}
