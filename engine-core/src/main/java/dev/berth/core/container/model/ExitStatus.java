package dev.berth.core.container.model;

/** How a container's process ended, as {@code wait} reports it. */
public record ExitStatus(int code, String error) {}
