package dev.berth.core.container;

/**
 * What an attach client wants.
 *
 * @param stream follow live output (and send stdin) rather than only replaying
 * @param logs replay the output logged so far first
 */
public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean stream, boolean logs) {}
