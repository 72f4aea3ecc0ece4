package dev.berth.store.volume;

import dev.berth.core.volume.VolumeRepository;
import dev.berth.core.volume.VolumeRepositoryContract;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class SqliteVolumeRepositoryTest extends VolumeRepositoryContract {

  @TempDir
  Path dir;

  private Database db;

  @Override
  protected VolumeRepository newRepository() {
    db = TestDatabases.migrated(dir);
    return new SqliteVolumeRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }
}
