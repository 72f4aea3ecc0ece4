package dev.berth.store.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ContainerRepositoryContract;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteContainerRepositoryTest extends ContainerRepositoryContract {

  @TempDir
  Path dir;

  private Database db;
  private SqliteContainerRepository repo;

  @Override
  protected ContainerRepository newRepository() {
    db = TestDatabases.migrated(dir);
    repo = new SqliteContainerRepository(db);
    return repo;
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void nameConflictNamesTheHolderAsDockerdDoes() {
    Container first = container("web", T0);
    repo.insert(first);

    var e = assertThrows(ConflictException.class, () -> repo.insert(container("web", T0)));

    assertEquals("Conflict. The container name \"/web\" is already in use by container \"" + first.id().hex()
        + "\". You have to remove (or rename) that container to be able to reuse that name.", e.getMessage());
  }

  @Test
  void survivesAReopen() {
    Container c = container("web", T0).withState(new ContainerState.Running(10, 9, 123L, T0.plusNanos(7)));
    repo.insert(c);
    db.close();

    db = TestDatabases.migrated(dir);
    assertEquals(c, new SqliteContainerRepository(db).find(c.id()).orElseThrow());
  }

  @Test
  void configJsonToleratesUnknownAndMissingProperties() {
    Container c = container("web", T0);
    repo.insert(c);

    // As a newer berth might have written it: an extra field, and one this record still has gone.
    sql("UPDATE containers SET config_json = json_set(json_remove(config_json, '$.config.cmd', '$.hostConfig.init'),"
        + " '$.config.futureField', 42, '$.hostConfig.future', json('{\"a\": [1]}'), '$.future', 'x')");

    Container read = repo.find(c.id()).orElseThrow();
    assertNull(read.config().cmd());
    assertEquals(c.config().env(), read.config().env());
    assertEquals(c.hostConfig(), read.hostConfig());
  }

  @Test
  void securityOptionsRoundTripAndOldRowsReadWithDefaults() {
    var options = new dev.berth.core.container.model.SecurityOptions(true, "{\"defaultAction\":\"SCMP_ACT_LOG\"}",
        "custom", List.of("disable"), false);
    var security = new dev.berth.core.container.model.SecurityConfig(List.of("no-new-privileges", "apparmor=custom"),
        "private", List.of(), null, options);
    Container c = container("web", T0);
    c = c.withHostConfig(c.hostConfig().withSecurity(security));
    repo.insert(c);
    Container read = repo.find(c.id()).orElseThrow();
    assertEquals(security, read.hostConfig().security());
    assertEquals(List.of(), read.hostConfig().security().maskedPaths(), "[] stays [] (nothing masked)");
    assertNull(read.hostConfig().security().readonlyPaths(), "null stays null (Docker's defaults)");

    // A row written before berth kept these fields (issue 10).
    sql("UPDATE containers SET config_json = json_remove(config_json, '$.hostConfig.security')");
    Container old = repo.find(c.id()).orElseThrow();
    var sc = old.hostConfig().security();
    assertEquals(dev.berth.core.container.model.SecurityConfig.NONE, sc);
    assertEquals(List.of(), sc.securityOpt());
    assertEquals("host", sc.effectiveCgroupnsMode(), "it ran in the host's cgroup namespace");
    assertNull(sc.maskedPaths());
    assertEquals(dev.berth.core.container.model.SecurityOptions.NONE, sc.parsedOptions());
    sql("UPDATE containers SET config_json = json_set(config_json, '$.hostConfig.security', "
        + "json('{\"securityOpt\": [\"no-new-privileges\"]}'))");
    assertTrue(repo.find(c.id()).orElseThrow().hostConfig().security().parsedOptions().noNewPrivileges(),
        "options not recorded yet are read from SecurityOpt");
  }

  @Test
  void anUnknownConfigVersionIsRefusedNotMisread() {
    Container c = container("web", T0);
    repo.insert(c);
    sql("UPDATE containers SET config_json = json_set(config_json, '$.version', 2)");

    assertThrows(InternalException.class, () -> repo.find(c.id()));
  }

  @Test
  void stateIsStoredInColumnsNotInTheJson() {
    repo.insert(container("web", T0).withState(
        new ContainerState.Exited(137, T0, T0.plusSeconds(1), "killed", true, false)));

    String row = db.read(c -> {
      try (var st = c.createStatement();
          var rs = st.executeQuery("SELECT status, exit_code, oom_killed, pid, finished_at, config_json FROM containers")) {
        rs.next();
        assertTrue(!rs.getString(6).contains("exitCode"), rs.getString(6));
        return rs.getString(1) + " " + rs.getInt(2) + " " + rs.getInt(3) + " " + rs.getObject(4) + " " + rs.getString(5);
      }
    });
    assertEquals("exited 137 1 null 2025-03-01T10:15:31.123456789Z", row);
  }

  @Test
  void aListReadsADocumentAgainOnlyOnceItChanged() {
    Container c = container("web", T0);
    repo.insert(c);
    Container listed = repo.list().getFirst();
    String revision = revision(c);

    Container exited = c.withState(new ContainerState.Exited(0, T0, T0.plusSeconds(1), "", false, false));
    repo.update(exited);
    assertEquals(revision, revision(c), "the columns alone changed");
    Container relisted = repo.list().getFirst();
    assertEquals(exited, relisted);
    assertSame(listed.config(), relisted.config(), "made from the container kept, not decoded again");

    repo.insert(container("other", T0.minusSeconds(1)));
    assertSame(relisted, repo.list().getFirst(), "a row no write touched is the container made before");

    Container restarting = exited.withHostConfig(exited.hostConfig().withRestartPolicy(
        new dev.berth.core.container.model.RestartPolicy("always", 0)));
    repo.update(restarting);
    assertNotEquals(revision, revision(c));
    assertEquals(restarting, repo.list().getFirst());

    // By hand, as a migration might: the schema gives the revision, so the first read of the table
    // after the next write of the repository's own sees it.
    repo.list();
    sql("UPDATE containers SET config_json = json_set(config_json, '$.config.cmd', json('[\"sleep\", \"1\"]'))");
    repo.insert(container("db", T0));
    assertEquals(List.of("sleep", "1"), repo.find(c.id()).orElseThrow().config().cmd());
  }

  @Test
  void listsHundredsOfContainersQuickly() {
    var all = new ArrayList<Container>();
    for (int i = 0; i < 500; i++) {
      all.add(container("c" + i, T0.plusNanos(i)));
    }
    all.forEach(repo::insert);
    repo.list();

    long start = System.nanoTime();
    List<Container> listed = repo.list();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(500, listed.size());
    assertEquals(all.getLast(), listed.getFirst());
    assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, "list() of 500 took " + took);
  }

  private String revision(Container c) {
    return TestDatabases.strings(db, "SELECT config_rev FROM containers WHERE id = '" + c.id().hex() + "'").getFirst();
  }

  private void sql(String statement) {
    db.writeVoid(c -> {
      try (var st = c.createStatement()) {
        st.executeUpdate(statement);
      }
    });
  }
}
