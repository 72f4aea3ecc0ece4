package dev.berth.core.container.model;

import java.time.Instant;
import java.util.List;

/**
 * A container's health as its healthcheck last judged it ({@code State.Health}).
 *
 * @param status {@code starting}, {@code healthy} or {@code unhealthy}
 * @param log the last five probes, oldest first
 */
public record Health(String status, int failingStreak, List<Probe> log) {

  public static final String STARTING = "starting";
  public static final String HEALTHY = "healthy";
  public static final String UNHEALTHY = "unhealthy";

  /** One run of the healthcheck command. */
  public record Probe(Instant start, Instant end, int exitCode, String output) {}

  public Health {
    log = List.copyOf(log);
  }
}
