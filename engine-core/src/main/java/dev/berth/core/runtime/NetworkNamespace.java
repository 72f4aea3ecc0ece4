package dev.berth.core.runtime;

/** Which network namespace the container gets. */
public enum NetworkNamespace {
  /** The host's own: the container sees the host's interfaces. */
  HOST,
  /** A new, private one with only loopback (Docker's {@code none}, and {@code bridge} until networks exist). */
  PRIVATE
}
