package dev.berth.core.container.lifecycle;

/**
 * dockerd refused the container's configuration while making its runtime spec, before any
 * runtime ran (moby daemon/start.go: an invalid parameter): its message stands alone, without the
 * runtime's "OCI runtime create failed" prefix.
 */
final class ConfigRefusedException extends RuntimeException {

  ConfigRefusedException(String message) {
    super(message);
  }
}
