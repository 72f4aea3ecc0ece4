package dev.berth.core.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryOptionsTest {

  private static final RegistryOptions OPTS = new RegistryOptions(List.of("10.1.0.0/16", "reg.example:5000"),
      RegistryOptions.mirrors(List.of("https://mirror.example/")));

  @Test
  void loopbackIsAlwaysPlainHttpAsInDockerd() {
    assertFalse(RegistryOptions.DEFAULTS.isSecure("127.0.0.1:5000"));
    assertFalse(RegistryOptions.DEFAULTS.isSecure("127.8.9.10"));
    assertFalse(RegistryOptions.DEFAULTS.isSecure("[::1]:5000"));
    assertFalse(RegistryOptions.DEFAULTS.isSecure("localhost:5000"));
    assertTrue(RegistryOptions.DEFAULTS.isSecure("10.1.2.3:5000"));
  }

  @Test
  void configuredHostsAndCidrsAreInsecure() {
    assertFalse(OPTS.isSecure("reg.example:5000"));
    assertTrue(OPTS.isSecure("reg.example:6000"));
    assertFalse(OPTS.isSecure("10.1.200.3:443"));
    assertTrue(OPTS.isSecure("10.2.0.1"));
    assertEquals(List.of("10.1.0.0/16", "::1/128", "127.0.0.0/8"), OPTS.insecureCidrs());
    assertEquals(List.of("reg.example:5000"), OPTS.insecureHosts());
    assertEquals(List.of(URI.create("https://mirror.example")), OPTS.mirrors());
  }

  @Test
  void badEntriesAreRefused() {
    assertThrows(InvalidArgumentException.class, () -> new RegistryOptions(List.of("http://x"), List.of()));
    assertThrows(InvalidArgumentException.class, () -> new RegistryOptions(List.of("10.0.0.0/99"), List.of()));
    assertThrows(InvalidArgumentException.class,
        () -> new RegistryOptions(List.of(), RegistryOptions.mirrors(List.of("ftp://m"))));
  }

  @Test
  void loginServerAddresses() {
    assertEquals("docker.io", Registries.loginDomain(""));
    assertEquals("docker.io", Registries.loginDomain("https://index.docker.io/v1/"));
    assertEquals("127.0.0.1:5000", Registries.loginDomain("127.0.0.1:5000"));
    assertEquals("reg.example", Registries.loginDomain("https://reg.example/v2/"));
  }
}
