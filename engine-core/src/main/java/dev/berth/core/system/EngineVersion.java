package dev.berth.core.system;

/** berth's own version, as {@code docker version} shows it under "Server". */
public final class EngineVersion {

  public static final String VERSION = "0.1.0";
  /** The Docker release whose API berth matches; some clients compare {@code Version} against Docker's. */
  public static final String DOCKER_COMPATIBLE = "28.5.2";

  private EngineVersion() {}
}
