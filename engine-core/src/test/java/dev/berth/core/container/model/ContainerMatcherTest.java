package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** {@code GET /containers/json} filters, by moby daemon/list.go {@code includeContainerInList}. */
class ContainerMatcherTest {

  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
  private static final ImageId BUSYBOX = new ImageId(new Digest("b".repeat(64)));
  private static final ImageId ALPINE = new ImageId(new Digest("a".repeat(64)));
  private static final Function<String, List<String>> NO_IMAGES = ref -> List.of();

  private static Container container(String idStart, String name, ContainerState state, Map<String, String> labels,
      ImageId image) {
    var id = new ContainerId(idStart + "0".repeat(64 - idStart.length()));
    var config = new ContainerConfig("busybox", null, List.of("sh"), null, null, null, null, null, labels, false, false,
        false, false, false, false, null, null, null, null, null, null, null, false);
    return new Container(id, new ContainerName(name), T, image, config, HostConfig.DEFAULT, state, 0);
  }

  private static Container running(String idStart, String name) {
    return container(idStart, name, new ContainerState.Running(42, 41, 1, T), Map.of(), BUSYBOX);
  }

  private static Container exited(String idStart, String name, int code) {
    return container(idStart, name, new ContainerState.Exited(code, T, T.plusSeconds(1), "", false, false), Map.of(), BUSYBOX);
  }

  private static Container created(String idStart, String name) {
    return container(idStart, name, ContainerState.Created.FRESH, Map.of(), BUSYBOX);
  }

  private static ContainerFilter filter(boolean all, List<String> ids, List<String> names, List<String> labels,
      List<String> statuses, List<String> ancestors, List<Integer> exited) {
    return new ContainerFilter(all, 0, ids, names, labels, statuses, ancestors, exited);
  }

  private static ContainerFilter all() {
    return ContainerFilter.everything();
  }

  private static ContainerFilter running() {
    return filter(false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  private static boolean matches(ContainerFilter f, Container c) {
    return ContainerMatcher.of(f, NO_IMAGES).test(c);
  }

  @Test
  void withoutAllOnlyRunningContainersMatch() {
    assertTrue(matches(running(), running("aa", "up")));
    assertFalse(matches(running(), exited("bb", "down", 0)));
    assertFalse(matches(running(), created("cc", "new")));
  }

  @Test
  void allMatchesEveryState() {
    assertTrue(matches(all(), running("aa", "up")));
    assertTrue(matches(all(), exited("bb", "down", 0)));
    assertTrue(matches(all(), created("cc", "new")));
    assertTrue(matches(all(), container("dd", "gone", new ContainerState.Dead(T, T, "lost"), Map.of(), BUSYBOX)));
  }

  @Test
  void idMatchesByPrefix() {
    var f = filter(true, List.of("abc"), List.of(), List.of(), List.of(), List.of(), List.of());
    assertTrue(matches(f, running("abc1", "one")));
    assertTrue(matches(f, running("abc", "two")));
    assertFalse(matches(f, running("abd", "three")));
  }

  @Test
  void severalIdsAreAlternatives() {
    var f = filter(true, List.of("aa", "bb"), List.of(), List.of(), List.of(), List.of(), List.of());
    assertTrue(matches(f, running("aa", "one")));
    assertTrue(matches(f, running("bb", "two")));
    assertFalse(matches(f, running("cc", "three")));
  }

  @Test
  void nameIsAnUnanchoredRegularExpression() {
    var f = filter(true, List.of(), List.of("web"), List.of(), List.of(), List.of(), List.of());
    assertTrue(matches(f, running("aa", "web")));
    assertTrue(matches(f, running("bb", "my-web-1")));
    assertFalse(matches(f, running("cc", "db")));
  }

  @Test
  void nameIsMatchedWithAndWithoutTheLeadingSlash() {
    // dockerd tries the pattern on "/name" and on "name", so both anchored idioms work.
    var slashed = filter(true, List.of(), List.of("^/web$"), List.of(), List.of(), List.of(), List.of());
    var bare = filter(true, List.of(), List.of("^web$"), List.of(), List.of(), List.of(), List.of());
    for (var f : List.of(slashed, bare)) {
      assertTrue(matches(f, running("aa", "web")));
      assertFalse(matches(f, running("bb", "web2")));
    }
  }

  @Test
  void nameThatIsNotARegularExpressionMatchesExactly() {
    var f = filter(true, List.of(), List.of("web[1"), List.of(), List.of(), List.of(), List.of());
    assertFalse(matches(f, running("aa", "web")));
  }

  @Test
  void labelKeyMatchesAnyValue() {
    var f = filter(true, List.of(), List.of(), List.of("env"), List.of(), List.of(), List.of());
    assertTrue(matches(f, container("aa", "a1", ContainerState.Created.FRESH, Map.of("env", "prod"), BUSYBOX)));
    assertTrue(matches(f, container("bb", "b1", ContainerState.Created.FRESH, Map.of("env", ""), BUSYBOX)));
    assertFalse(matches(f, container("cc", "c1", ContainerState.Created.FRESH, Map.of("tier", "web"), BUSYBOX)));
  }

  @Test
  void labelKeyEqualsValueMatchesThatValueOnly() {
    var f = filter(true, List.of(), List.of(), List.of("env=prod"), List.of(), List.of(), List.of());
    assertTrue(matches(f, container("aa", "a1", ContainerState.Created.FRESH, Map.of("env", "prod"), BUSYBOX)));
    assertFalse(matches(f, container("bb", "b1", ContainerState.Created.FRESH, Map.of("env", "dev"), BUSYBOX)));
    assertFalse(matches(f, container("cc", "c1", ContainerState.Created.FRESH, Map.of(), BUSYBOX)));
  }

  @Test
  void labelValueMayContainEqualsSigns() {
    var f = filter(true, List.of(), List.of(), List.of("opts=a=b"), List.of(), List.of(), List.of());
    assertTrue(matches(f, container("aa", "a1", ContainerState.Created.FRESH, Map.of("opts", "a=b"), BUSYBOX)));
  }

  @Test
  void everyLabelFilterMustMatch() {
    var f = filter(true, List.of(), List.of(), List.of("env=prod", "tier"), List.of(), List.of(), List.of());
    var labels = Map.of("env", "prod", "tier", "web");
    assertTrue(matches(f, container("aa", "a1", ContainerState.Created.FRESH, labels, BUSYBOX)));
    assertFalse(matches(f, container("bb", "b1", ContainerState.Created.FRESH, Map.of("env", "prod"), BUSYBOX)));
  }

  @Test
  void statusMatchesDockersWordAndImpliesAll() {
    var f = filter(false, List.of(), List.of(), List.of(), List.of("exited"), List.of(), List.of());
    assertTrue(matches(f, exited("aa", "down", 1)));
    assertFalse(matches(f, running("bb", "up")));
    assertFalse(matches(f, created("cc", "new")));
  }

  @Test
  void severalStatusesAreAlternatives() {
    var f = filter(false, List.of(), List.of(), List.of(), List.of("created", "running"), List.of(), List.of());
    assertTrue(matches(f, created("aa", "new")));
    assertTrue(matches(f, running("bb", "up")));
    assertFalse(matches(f, exited("cc", "down", 0)));
  }

  @Test
  void exitedMatchesTheExitCodeOfStoppedContainers() {
    var f = filter(true, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(0, 3));
    assertTrue(matches(f, exited("aa", "ok", 0)));
    assertTrue(matches(f, exited("bb", "three", 3)));
    assertFalse(matches(f, exited("cc", "one", 1)));
    assertFalse(matches(f, running("dd", "up")));
    assertFalse(matches(f, created("ee", "never-started")));
  }

  @Test
  void exitedDoesNotImplyAll() {
    // `docker ps --filter exited=0` lists nothing without -a in dockerd: only status= implies all.
    var f = filter(false, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(0));
    assertFalse(matches(f, exited("aa", "ok", 0)));
  }

  @Test
  void ancestorMatchesTheImagesTheResolverNames() {
    Function<String, List<String>> resolve = ref -> ref.equals("busybox") ? List.of(BUSYBOX.digest().hex()) : List.of();
    var f = filter(true, List.of(), List.of(), List.of(), List.of(), List.of("busybox"), List.of());
    var matcher = ContainerMatcher.of(f, resolve);
    assertTrue(matcher.test(container("aa", "bb1", ContainerState.Created.FRESH, Map.of(), BUSYBOX)));
    assertFalse(matcher.test(container("bb", "al1", ContainerState.Created.FRESH, Map.of(), ALPINE)));
  }

  @Test
  void ancestorNamingNoImageMatchesNothing() {
    var f = filter(true, List.of(), List.of(), List.of(), List.of(), List.of("missing"), List.of());
    assertFalse(matches(f, created("aa", "new")));
  }

  @Test
  void differentKeysMustAllMatch() {
    var f = filter(true, List.of("aa"), List.of("web"), List.of(), List.of("running"), List.of(), List.of());
    assertTrue(matches(f, running("aa", "web")));
    assertFalse(matches(f, running("bb", "web")));
    assertFalse(matches(f, running("aa", "db")));
    assertFalse(matches(f, exited("aa", "web", 0)));
  }

  @Test
  void ancestorsAreResolvedOncePerFilterNotPerContainer() {
    int[] calls = {0};
    var f = filter(true, List.of(), List.of(), List.of(), List.of(), List.of("busybox"), List.of());
    var matcher = ContainerMatcher.of(f, ref -> {
      calls[0]++;
      return List.of(BUSYBOX.digest().hex());
    });
    matcher.test(created("aa", "one"));
    matcher.test(created("bb", "two"));
    assertEquals(1, calls[0]);
  }

  @Test
  void networkMatchesANetworkNameOrIdPrefixAndPublishAndExposeMatchPorts() {
    var net = new dev.berth.core.network.NetworkId("c".repeat(64));
    var binding = new dev.berth.core.network.PortBinding(8080, "tcp", "", 32768);
    var networking = new dev.berth.core.network.Networking(
        Map.of("accnet", new dev.berth.core.network.Endpoint(net, List.of(), "", null)), List.of(binding), false,
        List.of(binding));
    Container c = running("ab", "web").withNetworking(networking);
    java.util.function.BiFunction<String, List<String>, ContainerFilter> by = (key, values) -> new ContainerFilter(
        true, 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        key.equals("network") ? values : List.of(), key.equals("publish") ? values : List.of(),
        key.equals("expose") ? values : List.of(), List.of());
    assertTrue(matches(by.apply("network", List.of("accnet")), c));
    assertTrue(matches(by.apply("network", List.of("ccc")), c));
    assertFalse(matches(by.apply("network", List.of("acc")), c));
    assertTrue(matches(by.apply("publish", List.of("8080")), c));
    assertTrue(matches(by.apply("publish", List.of("8080/tcp")), c));
    assertFalse(matches(by.apply("publish", List.of("8080/udp")), c));
    assertFalse(matches(by.apply("expose", List.of("8080")), c));
  }
}
