package dev.berth.core.network;

import java.util.List;

/** Which containers are on a network: derived from the container records, never stored twice. */
public interface NetworkMembers {

  record Member(String containerId, String containerName, boolean running, Endpoint endpoint) {}

  List<Member> of(NetworkId network);
}
