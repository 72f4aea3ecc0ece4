package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitWatcherTest {

  @TempDir
  Path dir;

  record Seen(ContainerId id, OptionalInt code) {}

  @Test
  void reportsExitFilesOnceTheyHoldACode() throws Exception {
    var seen = new LinkedBlockingQueue<Seen>();
    try (var watcher = new ExitWatcher(dir)) {
      watcher.addListener(id -> seen.add(new Seen(id, ExitWatcher.read(dir.resolve(id.hex())))));
      watcher.start();

      // conmon's way: write a temporary name, rename into place.
      var renamed = ContainerId.random();
      Path tmp = Files.writeString(dir.resolve(renamed.hex() + ".AB12CD"), "137");
      Files.move(tmp, dir.resolve(renamed.hex()), StandardCopyOption.ATOMIC_MOVE);
      var first = seen.poll(10, TimeUnit.SECONDS);
      assertNotNull(first);
      assertEquals(new Seen(renamed, OptionalInt.of(137)), first);

      // Written in place: the empty file is not an exit yet.
      var inPlace = ContainerId.random();
      Files.writeString(dir.resolve("not-a-container"), "1");
      Path file = Files.createFile(dir.resolve(inPlace.hex()));
      Files.writeString(file, "42");
      var second = seen.poll(10, TimeUnit.SECONDS);
      assertNotNull(second);
      assertEquals(new Seen(inPlace, OptionalInt.of(42)), second);

      assertEquals(List.of(inPlace, renamed).stream().sorted(java.util.Comparator.comparing(ContainerId::hex)).toList(),
          ExitWatcher.recorded(dir).stream().sorted(java.util.Comparator.comparing(ContainerId::hex)).toList());
    }
    assertTrue(seen.stream().allMatch(s -> s.code().isPresent()), "never reported before the code was written");
  }

  @Test
  void aMissingOrEmptyFileIsNoExit() throws Exception {
    assertEquals(OptionalInt.empty(), ExitWatcher.read(dir.resolve("nope")));
    assertEquals(OptionalInt.empty(), ExitWatcher.read(Files.createFile(dir.resolve("empty"))));
    assertEquals(OptionalInt.of(0), ExitWatcher.read(Files.writeString(dir.resolve("zero"), "0")));
    assertEquals(List.of(), ExitWatcher.recorded(dir.resolve("missing")));
  }
}
