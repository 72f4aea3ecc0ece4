package dev.berth.core.container;

/**
 * A request to create a container, before the image's defaults are merged in.
 *
 * @param name null for a generated name
 * @param config what the client asked for; null lists mean "not given"
 */
public record ContainerCreateRequest(String name, ContainerConfig config, HostConfig hostConfig) {}
