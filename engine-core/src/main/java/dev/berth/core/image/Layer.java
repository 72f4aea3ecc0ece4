package dev.berth.core.image;

/**
 * An extracted layer, shared by every image whose chain contains it.
 *
 * @param parent the layer beneath, null for a base layer
 * @param size bytes of its extracted content
 * @param blob digest of the archive it came from as stored in the blob store (possibly compressed)
 * @param mediaType media type of that blob
 */
public record Layer(ChainId chainId, Digest diffId, ChainId parent, long size, Digest blob, String mediaType) {}
