package dev.berth.store.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.store.Database;
import dev.berth.store.Migrator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many requests creating containers at once must all succeed: IMMEDIATE transactions queue on
 * the write lock and busy_timeout makes them wait for it instead of failing with SQLITE_BUSY.
 */
class ConcurrentWritesTest {

  private static final int THREADS = 12;
  private static final ImageId IMAGE = new ImageId(Digest.of("image".getBytes(StandardCharsets.UTF_8)));

  @TempDir
  Path dir;

  @Test
  void twelveThreadsCreatingContainersAllSucceed() throws Exception {
    try (Database db = Database.open(dir.resolve("berth.db"))) {
      new Migrator(db).migrate();
      var repo = new SqliteContainerRepository(db);

      List<Container> created = runTogether(i -> {
        Container c = container("c" + i, i);
        repo.insert(c);
        // A write and reads interleaved with the other threads' writes.
        repo.update(c.withState(new ContainerState.Running(1000 + i, 999, 5L, Instant.EPOCH.plusNanos(i))));
        repo.findByName(c.name()).orElseThrow();
        repo.list();
        return c;
      });

      assertEquals(THREADS, repo.list().size());
      for (Container c : created) {
        assertEquals(1000 + created.indexOf(c), ((ContainerState.Running) repo.find(c.id()).orElseThrow().state()).pid());
      }
    }
  }

  @Test
  void listsAndLookupsDuringWritesSeeEveryCompletedWrite() throws Exception {
    // The decoded-container cache: a list never returns what a write that already returned replaced.
    try (Database db = Database.open(dir.resolve("berth.db"))) {
      new Migrator(db).migrate();
      var repo = new SqliteContainerRepository(db);
      runTogether(i -> {
        Container c = container("c" + i, i);
        repo.insert(c);
        for (int round = 1; round <= 30; round++) {
          Container next = c.withState(new ContainerState.Running(round * 100 + i, 999, 5L, Instant.EPOCH));
          repo.update(next);
          assertEquals(next, repo.find(c.id()).orElseThrow());
          assertEquals(next, repo.findByName(c.name()).orElseThrow());
          Container listed = repo.list().stream().filter(l -> l.id().equals(c.id())).findFirst().orElseThrow();
          assertEquals(next, listed, "round " + round);
        }
        if (i % 2 == 0) {
          repo.delete(c.id());
          assertTrue(repo.list().stream().noneMatch(l -> l.id().equals(c.id())));
          assertTrue(repo.find(c.id()).isEmpty());
        }
        return c;
      });

      var fresh = new SqliteContainerRepository(db);
      assertEquals(fresh.list(), repo.list(), "the cache ends as the table");
      assertEquals(THREADS / 2, repo.list().size());
    }
  }

  @Test
  void writersInSeparatePoolsWaitForEachOther() throws Exception {
    // Three pools on one file behave like three processes: only SQLite's lock orders them.
    var pools = new ArrayList<Database>();
    try {
      for (int i = 0; i < 3; i++) {
        pools.add(Database.open(dir.resolve("berth.db")));
      }
      new Migrator(pools.getFirst()).migrate();
      var repos = pools.stream().map(SqliteContainerRepository::new).toList();

      runTogether(i -> {
        Container c = container("c" + i, i);
        repos.get(i % repos.size()).insert(c);
        return c;
      });

      assertEquals(THREADS, repos.getFirst().list().size());
    } finally {
      pools.forEach(Database::close);
    }
  }

  private interface Step {
    Container run(int i) throws Exception;
  }

  private static List<Container> runTogether(Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      var ready = new CountDownLatch(THREADS);
      var go = new CountDownLatch(1);
      var futures = new ArrayList<Future<Container>>();
      for (int i = 0; i < THREADS; i++) {
        int n = i;
        Callable<Container> task = () -> {
          ready.countDown();
          go.await();
          return step.run(n);
        };
        futures.add(pool.submit(task));
      }
      ready.await();
      go.countDown();
      var out = new ArrayList<Container>();
      for (Future<Container> f : futures) {
        out.add(f.get(60, TimeUnit.SECONDS)); // rethrows any thread's failure
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Container container(String name, int i) {
    var config = new ContainerConfig("busybox", null, List.of("sh"), List.of(), "", "", "", "", Map.of("n", "" + i),
        false, false, false, false, true, true, "", null, Set.of(), Set.of(), null, null, null, false);
    return new Container(ContainerId.random(), new ContainerName(name), Instant.EPOCH.plusSeconds(i), IMAGE, config,
        HostConfig.DEFAULT, ContainerState.Created.FRESH, 0);
  }
}
