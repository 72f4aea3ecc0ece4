package dev.berth.core.image.registry;

import dev.berth.core.image.Digest;

/**
 * A manifest or index as the registry served it. The bytes are kept exactly: their digest is
 * the manifest's identity (RepoDigests), and any re-encoding would change it.
 *
 * @param mediaType from the Content-Type, or the document's own mediaType field
 */
public record Manifest(byte[] content, String mediaType, Digest digest) {}
