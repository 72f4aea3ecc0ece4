package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.Endpoint;
import dev.berth.core.network.Networking;
import dev.berth.core.network.PortBinding;
import dev.berth.server.api.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HostConfig.PortBindings, PublishAllPorts and NetworkingConfig of a create body, into the engine's Networking. */
class NetworkSettingsTranslatorTest {

  private static ContainerJson.HostConfig hostConfig(String json) throws JsonProcessingException {
    return Json.MAPPER.readValue(json, ContainerJson.HostConfig.class);
  }

  private static JsonNode node(String json) throws JsonProcessingException {
    return Json.MAPPER.readTree(json);
  }

  private static Networking ports(String portBindings) throws JsonProcessingException {
    return NetworkSettingsTranslator.request(hostConfig("{\"PortBindings\": " + portBindings + "}"), null);
  }

  private static String refusal(String portBindings) {
    return assertThrows(InvalidArgumentException.class, () -> ports(portBindings)).getMessage();
  }

  @Test
  void nothingGivenIsNoPortsNoEndpoints() throws JsonProcessingException {
    Networking n = NetworkSettingsTranslator.request(hostConfig("{}"), null);
    assertEquals(List.of(), n.portBindings());
    assertTrue(n.endpoints().isEmpty());
    assertFalse(n.publishAll());
    assertEquals(List.of(), n.published());
    assertEquals(n, NetworkSettingsTranslator.request(null, null));
  }

  @Test
  void aBindingWithHostIpAndHostPort() throws JsonProcessingException {
    Networking n = ports("{\"80/tcp\": [{\"HostIp\": \"127.0.0.1\", \"HostPort\": \"8080\"}]}");
    assertEquals(List.of(new PortBinding(80, "tcp", "127.0.0.1", 8080)), n.portBindings());
  }

  @Test
  void aBindingWithoutHostIpOrHostPortLetsTheEnginePick() throws JsonProcessingException {
    assertEquals(List.of(new PortBinding(80, "tcp", "", 0)), ports("{\"80/tcp\": [{}]}").portBindings());
    assertEquals(List.of(new PortBinding(80, "tcp", "", 0)),
        ports("{\"80/tcp\": [{\"HostIp\": \"\", \"HostPort\": \"\"}]}").portBindings());
    assertEquals(List.of(new PortBinding(80, "tcp", "", 9000)),
        ports("{\"80/tcp\": [{\"HostPort\": \"9000\"}]}").portBindings());
  }

  @Test
  void aPortWithNoBindingsOrNullIsPublishedOnAnyPort() throws JsonProcessingException {
    assertEquals(List.of(new PortBinding(80, "tcp", "", 0)), ports("{\"80/tcp\": []}").portBindings());
    assertEquals(List.of(new PortBinding(80, "tcp", "", 0)), ports("{\"80/tcp\": null}").portBindings());
  }

  @Test
  void aPortWithoutAProtocolIsTcp() throws JsonProcessingException {
    assertEquals(List.of(new PortBinding(53, "tcp", "", 5353)),
        ports("{\"53\": [{\"HostPort\": \"5353\"}]}").portBindings());
  }

  @Test
  void udpIsKept() throws JsonProcessingException {
    PortBinding b = ports("{\"53/udp\": [{\"HostPort\": \"5353\"}]}").portBindings().getFirst();
    assertEquals(new PortBinding(53, "udp", "", 5353), b);
    assertEquals("53/udp", b.portKey());
  }

  @Test
  void severalBindingsOfOnePortAndSeveralPortsKeepTheirOrder() throws JsonProcessingException {
    Networking n = ports("{\"80/tcp\": [{\"HostPort\": \"8080\"}, {\"HostIp\": \"::1\", \"HostPort\": \"8081\"}],"
        + " \"443/tcp\": [{\"HostPort\": \"8443\"}]}");
    assertEquals(List.of(new PortBinding(80, "tcp", "", 8080), new PortBinding(80, "tcp", "::1", 8081),
        new PortBinding(443, "tcp", "", 8443)), n.portBindings());
  }

  @Test
  void aBadContainerPortIsRefused() {
    assertEquals("invalid port specification: \"http/tcp\"", refusal("{\"http/tcp\": []}"));
    assertEquals("invalid port specification: \"70000/tcp\"", refusal("{\"70000/tcp\": []}"));
    assertEquals("invalid port specification: \"-1/tcp\"", refusal("{\"-1/tcp\": []}"));
    assertEquals("invalid port specification: \"/tcp\"", refusal("{\"/tcp\": []}"));
  }

  @Test
  void aBadHostPortIsRefused() {
    assertEquals("invalid port specification: \"x\"", refusal("{\"80/tcp\": [{\"HostPort\": \"x\"}]}"));
    assertEquals("invalid port specification: \"65536\"", refusal("{\"80/tcp\": [{\"HostPort\": \"65536\"}]}"));
  }

  @Test
  void aHostPortRangeIsKeptAndABackwardOrSignedOneRefused() throws JsonProcessingException {
    var n = NetworkSettingsTranslator.request(hostConfig("{\"PortBindings\": {\"80/tcp\": [{\"HostPort\": \"8000-8010\"}]}}"),
        null);
    assertEquals(List.of(new PortBinding(80, "tcp", "", 8000, 8010)), n.portBindings());
    assertEquals("8000-8010", n.portBindings().getFirst().hostPortSpec());
    assertEquals("invalid port specification: \"8010-8000\"", refusal("{\"80/tcp\": [{\"HostPort\": \"8010-8000\"}]}"));
    assertEquals("invalid port specification: \"+80\"", refusal("{\"80/tcp\": [{\"HostPort\": \"+80\"}]}"));
  }

  @Test
  void aBadProtocolIsRefused() {
    assertEquals("invalid proto: icmp", refusal("{\"80/icmp\": []}"));
    assertEquals("invalid proto: TCP", refusal("{\"80/TCP\": []}"));
    assertEquals("invalid proto: ", refusal("{\"80/\": []}"));
  }

  @Test
  void publishAllPortsIsKept() throws JsonProcessingException {
    assertTrue(NetworkSettingsTranslator.request(hostConfig("{\"PublishAllPorts\": true}"), null).publishAll());
    assertFalse(NetworkSettingsTranslator.request(hostConfig("{\"PublishAllPorts\": false}"), null).publishAll());
  }

  @Test
  void endpointsConfigGivesAliasesAndTheRequestedAddress() throws JsonProcessingException {
    JsonNode nc = node("{\"EndpointsConfig\": {"
        + "\"front\": {\"Aliases\": [\"web\", \"www\"], \"IPAMConfig\": {\"IPv4Address\": \"10.5.0.9\"}},"
        + "\"back\": {}}}");
    Networking n = NetworkSettingsTranslator.request(hostConfig("{}"), nc);
    assertEquals(List.of("front", "back"), List.copyOf(n.endpoints().keySet()));
    assertEquals(new Endpoint(null, List.of("web", "www"), "10.5.0.9", null), n.endpoints().get("front"));
    assertEquals(new Endpoint(null, List.of(), "", null), n.endpoints().get("back"));
  }

  @Test
  void nullAliasesAndIpamConfigAreNone() throws JsonProcessingException {
    JsonNode nc = node("{\"EndpointsConfig\": {\"net\": {\"Aliases\": null, \"IPAMConfig\": null}}}");
    assertEquals(new Endpoint(null, List.of(), "", null),
        NetworkSettingsTranslator.request(hostConfig("{}"), nc).endpoints().get("net"));
  }

  @Test
  void aNullOrMissingEndpointsConfigIsNoEndpoints() throws JsonProcessingException {
    assertTrue(NetworkSettingsTranslator.request(null, node("{}")).endpoints().isEmpty());
    assertTrue(NetworkSettingsTranslator.request(null, node("{\"EndpointsConfig\": null}")).endpoints().isEmpty());
  }

  @Test
  void portsAndEndpointsTogether() throws JsonProcessingException {
    Networking n = NetworkSettingsTranslator.request(
        hostConfig("{\"PortBindings\": {\"80/tcp\": [{\"HostPort\": \"8080\"}]}, \"PublishAllPorts\": true}"),
        node("{\"EndpointsConfig\": {\"app\": {\"Aliases\": [\"api\"]}}}"));
    assertEquals(List.of(new PortBinding(80, "tcp", "", 8080)), n.portBindings());
    assertTrue(n.publishAll());
    assertEquals(List.of("api"), n.endpoints().get("app").aliases());
  }
}
