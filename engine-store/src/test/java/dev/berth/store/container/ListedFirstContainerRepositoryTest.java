package dev.berth.store.container;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ContainerRepositoryContract;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository contract again, with a {@code list()} before every call: every lookup then
 * meets a decoded snapshot of the table, and every write must make it stale.
 */
class ListedFirstContainerRepositoryTest extends ContainerRepositoryContract {

  @TempDir
  Path dir;

  private Database db;

  @Override
  protected ContainerRepository newRepository() {
    db = TestDatabases.migrated(dir);
    return new ListedFirst(new SqliteContainerRepository(db));
  }

  @AfterEach
  void close() {
    db.close();
  }

  private record ListedFirst(SqliteContainerRepository repo) implements ContainerRepository {

    @Override
    public Optional<Container> find(ContainerId id) {
      repo.list();
      return repo.find(id);
    }

    @Override
    public Optional<Container> findByName(ContainerName name) {
      repo.list();
      return repo.findByName(name);
    }

    @Override
    public List<Container> findByIdPrefix(String hexPrefix) {
      repo.list();
      return repo.findByIdPrefix(hexPrefix);
    }

    @Override
    public List<Container> list() {
      repo.list();
      return repo.list();
    }

    @Override
    public void insert(Container c) {
      repo.list();
      repo.insert(c);
    }

    @Override
    public void update(Container c) {
      repo.list();
      repo.update(c);
    }

    @Override
    public void delete(ContainerId id) {
      repo.list();
      repo.delete(id);
    }
  }
}
