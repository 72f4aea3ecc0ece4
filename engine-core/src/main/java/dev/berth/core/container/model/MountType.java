package dev.berth.core.container.model;

/** The kinds of mount a container can have (moby api/types/mount {@code Type}), by their wire names. */
public enum MountType {
  BIND("bind"),
  VOLUME("volume"),
  TMPFS("tmpfs");

  private final String wire;

  MountType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
