package dev.berth.store.volume;

import static dev.berth.store.ConfigJsonFixtures.assertSameDocument;
import static dev.berth.store.ConfigJsonFixtures.configJson;
import static dev.berth.store.ConfigJsonFixtures.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InternalException;
import dev.berth.core.volume.LocalOptions;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeName;
import dev.berth.store.ConfigJsonFixtures;
import dev.berth.store.Database;
import dev.berth.store.TestDatabases;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code volumes.config_json} as earlier berths wrote it (issue 16). */
class VolumeConfigJsonTest {

  private static final Instant T0 = Instant.parse("2025-03-01T10:15:30.123456789Z");

  /** What {@code volumes/v1-local-options.json} was written from. */
  private static final Volume SCRATCH = new Volume(new VolumeName("scratch"), "local", Map.of("team", "a"),
      new LocalOptions(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=100m")), T0);

  /** What {@code volumes/v1-plain.json} was written from. */
  private static final Volume PLAIN = new Volume(new VolumeName("plain"), "local", Map.of(), null, T0);

  @TempDir
  Path dir;

  private Database db;
  private SqliteVolumeRepository repo;

  @BeforeEach
  void open() {
    db = TestDatabases.migrated(dir);
    repo = new SqliteVolumeRepository(db);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void rowsReadAsTheVolumesTheyWereWrittenFrom() {
    insertFixture(SCRATCH.name(), "volumes/v1-local-options.json");
    insertFixture(PLAIN.name(), "volumes/v1-plain.json");

    assertEquals(SCRATCH, repo.find(SCRATCH.name()).orElseThrow());
    assertTrue(repo.find(SCRATCH.name()).orElseThrow().options().needsMount());
    assertEquals(PLAIN, repo.find(PLAIN.name()).orElseThrow());
    assertEquals(LocalOptions.NONE, repo.find(PLAIN.name()).orElseThrow().options());
  }

  @Test
  void writesEveryFieldUnderTheNameRowsAlreadyHold() {
    repo.insert(SCRATCH);
    repo.insert(PLAIN);

    assertSameDocument("volumes/v1-local-options.json", configJson(db, "volumes", "name", "scratch"));
    assertSameDocument("volumes/v1-plain.json", configJson(db, "volumes", "name", "plain"));
    assertEquals(SCRATCH, repo.find(SCRATCH.name()).orElseThrow());
    assertEquals(PLAIN, repo.find(PLAIN.name()).orElseThrow());
  }

  @Test
  void optionsTheDriverRefusesAreACorruptRow() {
    insertFixture(SCRATCH.name(), "volumes/v1-local-options.json");
    exec(db, "UPDATE volumes SET config_json = json_set(config_json, '$.options.raw.bogus', 'x')");

    var e = assertThrows(InternalException.class, () -> repo.find(SCRATCH.name()));
    assertEquals("corrupt VolumeDocument in database: invalid option: \"bogus\"", e.getMessage());
  }

  private void insertFixture(VolumeName name, String fixture) {
    exec(db, "INSERT INTO volumes (name, driver, created, config_json) VALUES (?, 'local', ?, ?)", name.value(),
        "2025-03-01T10:15:30.123456789Z", ConfigJsonFixtures.read(fixture));
  }
}
