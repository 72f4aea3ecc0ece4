package dev.berth.core.network;

/**
 * One IPAM config entry of a network, as the client gave it or as the engine chose it.
 *
 * @param ipRange the part of the subnet containers get addresses from; null for all of it
 */
public record IpamPool(String subnet, String gateway, String ipRange) {}
