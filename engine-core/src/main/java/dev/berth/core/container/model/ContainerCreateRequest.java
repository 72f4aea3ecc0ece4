package dev.berth.core.container.model;

import dev.berth.core.network.Networking;

/**
 * A request to create a container, before the image's defaults are merged in.
 *
 * @param name null for a generated name
 * @param config what the client asked for; null lists mean "not given"
 * @param networking endpoints keyed by the network name or ID the client gave, network IDs not yet
 *     resolved; the network mode's own network is added if missing
 */
public record ContainerCreateRequest(String name, ContainerConfig config, HostConfig hostConfig,
    Networking networking) {

  public ContainerCreateRequest {
    networking = networking == null ? Networking.NONE : networking;
  }

  public ContainerCreateRequest(String name, ContainerConfig config, HostConfig hostConfig) {
    this(name, config, hostConfig, Networking.NONE);
  }
}
