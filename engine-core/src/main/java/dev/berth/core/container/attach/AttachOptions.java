package dev.berth.core.container.attach;

import dev.berth.core.container.model.DetachKeys;

/**
 * What an attach client wants.
 *
 * @param stream follow live output (and send stdin) rather than only replaying
 * @param logs replay the output logged so far first
 * @param detachKeys the sequence on stdin that ends this client's attachment, leaving the container running
 */
public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, boolean stream, boolean logs,
    DetachKeys detachKeys) {}
