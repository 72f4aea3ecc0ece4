package dev.berth.core.container.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.Digest;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.ImageId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every {@link ContainerRepository} must do. Subclasses supply a fresh, empty repository;
 * the in-memory fake and the SQLite repository both run it.
 */
public abstract class ContainerRepositoryContract {

  protected static final ImageId IMAGE = new ImageId(Digest.of("busybox config".getBytes(StandardCharsets.UTF_8)));
  protected static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

  private ContainerRepository repo;

  /** A new repository with no containers in it. */
  protected abstract ContainerRepository newRepository();

  @BeforeEach
  void createRepository() {
    repo = newRepository();
  }

  @Test
  void insertedContainerIsFoundByIdAndName() {
    Container c = container("web", T0);
    repo.insert(c);

    assertEquals(Optional.of(c), repo.find(c.id()));
    assertEquals(Optional.of(c), repo.findByName(new ContainerName("web")));
  }

  @Test
  void missingContainerIsEmpty() {
    repo.insert(container("web", T0));

    assertEquals(Optional.empty(), repo.find(ContainerId.random()));
    assertEquals(Optional.empty(), repo.findByName(new ContainerName("db")));
  }

  @Test
  void findsByIdPrefix() {
    Container a = container(id("abc1"), "ca", T0);
    Container b = container(id("abc2"), "cb", T0.plusSeconds(1));
    Container d = container(id("abd"), "cd", T0.plusSeconds(2));
    repo.insert(a);
    repo.insert(b);
    repo.insert(d);

    assertEquals(Set.of(a, b), Set.copyOf(repo.findByIdPrefix("abc")));
    assertEquals(List.of(a), repo.findByIdPrefix("abc1"));
    assertEquals(List.of(d), repo.findByIdPrefix(d.id().hex()));
    assertEquals(Set.of(a, b, d), Set.copyOf(repo.findByIdPrefix("ab")));
    assertEquals(List.of(), repo.findByIdPrefix("abe"));
    assertEquals(List.of(), repo.findByIdPrefix("f"));
    assertEquals(List.of(), repo.findByIdPrefix("ABC"), "IDs are lowercase");
    assertEquals(List.of(), repo.findByIdPrefix(d.id().hex() + "0"));
  }

  @Test
  void listsNewestFirstToTheNanosecond() {
    Container first = container("first", T0);
    Container second = container("second", T0.plusNanos(1));
    Container third = container("third", T0.plusNanos(2));
    Container older = container("older", Instant.parse("2019-12-31T23:59:59Z"));
    repo.insert(second);
    repo.insert(older);
    repo.insert(third);
    repo.insert(first);

    assertEquals(List.of(third, second, first, older), repo.list());
  }

  @Test
  void emptyRepositoryListsNothing() {
    assertEquals(List.of(), repo.list());
    assertEquals(List.of(), repo.findByIdPrefix(""));
  }

  @Test
  void takenNameIsAConflict() {
    Container first = container("web", T0);
    repo.insert(first);

    var e = assertThrows(ConflictException.class, () -> repo.insert(container("web", T0.plusSeconds(1))));
    assertTrue(e.getMessage().contains("\"/web\""), e.getMessage());
    assertEquals(List.of(first), repo.list());
  }

  @Test
  void takenIdIsAConflict() {
    Container first = container("web", T0);
    repo.insert(first);

    assertThrows(ConflictException.class, () -> repo.insert(container(first.id(), "other", T0)));
    assertEquals(List.of(first), repo.list());
  }

  @Test
  void updateReplacesEverything() {
    Container c = container("web", T0);
    repo.insert(c);
    var running = new ContainerState.Running(4242, 4241, 987654321L, T0.plusMillis(5));
    Container changed = new Container(c.id(), c.name(), c.created(), c.imageId(),
        config(List.of("/bin/sh", "-c"), List.of("sleep 1")),
        new HostConfig(true, "host", new RestartPolicy("on-failure", 3), 24, 80, true, true,
            List.of("NET_ADMIN"), List.of("MKNOD"), List.of("db:10.0.0.2"), List.of("1.1.1.1"),
            List.of("example.com"), List.of("ndots:2"), true, null),
        running, 2);

    repo.update(changed);

    assertEquals(Optional.of(changed), repo.find(c.id()));
  }

  @Test
  void updatingAMissingContainerIsNotFound() {
    assertThrows(NotFoundException.class, () -> repo.update(container("web", T0)));
    assertEquals(List.of(), repo.list());
  }

  @Test
  void renameOntoATakenNameIsAConflict() {
    Container web = container("web", T0);
    Container db = container("db", T0.plusSeconds(1));
    repo.insert(web);
    repo.insert(db);

    assertThrows(ConflictException.class, () -> repo.update(db.withName(new ContainerName("web"))));
    assertEquals(Optional.of(web), repo.findByName(new ContainerName("web")));
    assertEquals(Optional.of(db), repo.find(db.id()));
  }

  @Test
  void renameFreesTheOldName() {
    Container web = container("web", T0);
    repo.insert(web);

    repo.update(web.withName(new ContainerName("web2")));

    assertEquals(Optional.empty(), repo.findByName(new ContainerName("web")));
    assertEquals(web.id(), repo.findByName(new ContainerName("web2")).orElseThrow().id());
    Container reuse = container("web", T0.plusSeconds(1));
    repo.insert(reuse);
    assertEquals(Optional.of(reuse), repo.findByName(new ContainerName("web")));
  }

  @Test
  void updateKeepingTheNameIsNoConflict() {
    Container web = container("web", T0);
    repo.insert(web);

    repo.update(web.withState(new ContainerState.Exited(0, T0, T0.plusSeconds(1), "", false, false)));

    assertEquals(new ContainerState.Exited(0, T0, T0.plusSeconds(1), "", false, false),
        repo.find(web.id()).orElseThrow().state());
  }

  @Test
  void deleteRemovesAndFreesTheName() {
    Container web = container("web", T0);
    Container db = container("db", T0.plusSeconds(1));
    repo.insert(web);
    repo.insert(db);

    repo.delete(web.id());

    assertEquals(Optional.empty(), repo.find(web.id()));
    assertEquals(Optional.empty(), repo.findByName(new ContainerName("web")));
    assertEquals(List.of(db), repo.list());
    repo.insert(container("web", T0.plusSeconds(2)));
  }

  @Test
  void deletingAMissingContainerDoesNothing() {
    Container web = container("web", T0);
    repo.insert(web);

    repo.delete(ContainerId.random());

    assertEquals(List.of(web), repo.list());
  }

  static Stream<ContainerState> states() {
    Instant started = Instant.parse("2025-03-01T10:15:31.000000001Z");
    Instant finished = Instant.parse("2025-03-01T10:16:00.999999999Z");
    return Stream.of(
        ContainerState.Created.FRESH,
        new ContainerState.Created(127, "exec: \"nope\": executable file not found in $PATH"),
        new ContainerState.Running(4242, 4241, 987654321L, started),
        new ContainerState.Paused(4242, 4241, 987654321L, started),
        new ContainerState.Running(4242, 4241, 987654321L, started, true),
        new ContainerState.Paused(4242, 4241, 987654321L, started, true),
        new ContainerState.Exited(0, started, finished, "", false, false),
        new ContainerState.Exited(137, started, finished, "", true, true),
        new ContainerState.Exited(1, ContainerState.NEVER, ContainerState.NEVER, "boom", false, false),
        new ContainerState.Restarting(3, started, finished, true),
        new ContainerState.Dead(started, finished, "monitor vanished"),
        new ContainerState.Dead(ContainerState.NEVER, ContainerState.NEVER, ""));
  }

  @ParameterizedTest
  @MethodSource("states")
  void everyStateRoundTrips(ContainerState state) {
    Container c = container("web", T0).withState(state);
    repo.insert(c);
    assertEquals(state, repo.find(c.id()).orElseThrow().state());

    Container other = container("db", T0).withState(ContainerState.Created.FRESH);
    repo.insert(other);
    repo.update(other.withState(state));
    assertEquals(state, repo.find(other.id()).orElseThrow().state());
  }

  @Test
  void nullListsStayNullAndEmptyListsStayEmpty() {
    Container unset = container("unset", T0, config(null, null));
    Container empty = container("empty", T0, config(List.of(), List.of()));
    repo.insert(unset);
    repo.insert(empty);

    ContainerConfig u = repo.find(unset.id()).orElseThrow().config();
    ContainerConfig e = repo.find(empty.id()).orElseThrow().config();
    assertEquals(null, u.cmd());
    assertEquals(null, u.entrypoint());
    assertEquals(List.of(), e.cmd());
    assertEquals(List.of(), e.entrypoint());
    assertEquals(unset.config(), u);
    assertEquals(empty.config(), e);
  }

  @Test
  void everyConfigFieldRoundTrips() {
    var full = new ContainerConfig("registry.local:5000/app:1.2", List.of("/entry", "--flag"), List.of("run", "ünïcode \"quoted\""),
        List.of("PATH=/usr/bin", "A=b=c", "EMPTY="), "/srv", "1000:1000", "web-1", "example.com",
        Map.of("com.example.key", "value", "empty", "", "json", "{\"a\":1}"), true, true, true, true, true, false,
        "SIGTERM", 0, Set.of("80/tcp", "53/udp"), Set.of("/data"),
        new Healthcheck(List.of("CMD-SHELL", "curl -f localhost"), 30_000_000_000L, 1, 2, 3, 4),
        List.of("RUN echo"), List.of("/bin/bash", "-c"), true);
    var host = new HostConfig(false, "bridge", new RestartPolicy("unless-stopped", 0), 0, 0, false, false,
        List.of(), List.of("ALL"), List.of(), List.of(), List.of(), List.of(), false, null);
    Container c = new Container(ContainerId.random(), new ContainerName("full"), T0, IMAGE, full, host,
        ContainerState.Created.FRESH, 0);
    repo.insert(c);

    assertEquals(Optional.of(c), repo.find(c.id()));
  }

  @Test
  void optionalValuesKeepTheirAbsence() {
    var unsetHealth = new ContainerConfig("busybox", null, null, null, null, null, null, null, null,
        false, false, false, false, false, false, null, null, null, null,
        new Healthcheck(null, 0, 0, 0, 0, 0), null, null, false);
    var none = new ContainerConfig("busybox", null, null, null, null, null, null, null, null,
        false, false, false, false, false, false, null, null, null, null, null, null, null, false);
    Container a = container("ca", T0, unsetHealth);
    Container b = new Container(ContainerId.random(), new ContainerName("cb"), T0, IMAGE, none, HostConfig.DEFAULT,
        ContainerState.Created.FRESH, 0);
    repo.insert(a);
    repo.insert(b);

    assertEquals(unsetHealth, repo.find(a.id()).orElseThrow().config());
    assertEquals(none, repo.find(b.id()).orElseThrow().config());
    assertEquals(null, repo.find(b.id()).orElseThrow().config().stopTimeout());
    assertEquals(null, repo.find(b.id()).orElseThrow().hostConfig().init());
  }

  @Test
  void dockersZeroTimeAndNanosecondsRoundTrip() {
    Container old = container("old", ContainerState.NEVER);
    Container precise = container("precise", Instant.parse("2025-03-01T10:15:30.000000001Z"));
    repo.insert(old);
    repo.insert(precise);

    assertEquals(ContainerState.NEVER, repo.find(old.id()).orElseThrow().created());
    assertEquals(precise.created(), repo.find(precise.id()).orElseThrow().created());
  }

  // ---- fixtures

  protected static String id(String prefix) {
    return prefix + "0".repeat(64 - prefix.length());
  }

  protected static Container container(String name, Instant created) {
    return container(ContainerId.random(), name, created);
  }

  protected static Container container(String hexId, String name, Instant created) {
    return container(new ContainerId(hexId), name, created);
  }

  protected static Container container(ContainerId id, String name, Instant created) {
    return new Container(id, new ContainerName(name), created, IMAGE, config(null, List.of("sh")), HostConfig.DEFAULT,
        ContainerState.Created.FRESH, 0);
  }

  protected static Container container(String name, Instant created, ContainerConfig config) {
    return new Container(ContainerId.random(), new ContainerName(name), created, IMAGE, config, HostConfig.DEFAULT,
        ContainerState.Created.FRESH, 0);
  }

  protected static ContainerConfig config(List<String> entrypoint, List<String> cmd) {
    return new ContainerConfig("busybox", entrypoint, cmd, List.of("PATH=/bin"), "", "", "", "", Map.of(),
        false, false, false, false, true, true, "", null, Set.of(), Set.of(), null, null, null, false);
  }
}
