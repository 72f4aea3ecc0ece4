package dev.berth.store.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DecodedContainersTest {

  private static final ImageId IMAGE = new ImageId(Digest.of("image".getBytes(StandardCharsets.UTF_8)));

  private final DecodedContainers decoded = new DecodedContainers();

  @Test
  void aSnapshotServesUntilTheNextWrite() {
    Container web = container("web");
    decoded.remember(decoded.generation(), List.of(web));

    assertEquals(Optional.of(List.of(web)), decoded.list());
    assertEquals(Optional.of(Optional.of(web)), decoded.byId(web.id().hex()));
    assertEquals(Optional.of(Optional.of(web)), decoded.byName("web"));
    assertEquals(Optional.of(Optional.empty()), decoded.byName("db"), "absent, and known to be");

    decoded.written();

    assertEquals(Optional.empty(), decoded.list());
    assertEquals(Optional.empty(), decoded.byId(web.id().hex()));
    assertEquals(Optional.empty(), decoded.byName("web"));
    assertTrue(decoded.all().isEmpty());
  }

  @Test
  void aSnapshotReadWhileAWriteCommittedIsNeverUsed() {
    long before = decoded.generation();
    // The reader's query ran; a write committed during it, so the rows may predate the write.
    decoded.written();
    decoded.remember(before, List.of(container("web")));

    assertEquals(Optional.empty(), decoded.list());
  }

  @Test
  void anOlderSnapshotStoredLastIsNotUsedEither() {
    long first = decoded.generation();
    decoded.written();
    decoded.remember(decoded.generation(), List.of(container("new")));
    decoded.remember(first, List.of(container("old")));

    assertEquals(Optional.empty(), decoded.list(), "the slow reader's snapshot is stale; the next list reads again");
  }

  @Test
  void aWriteLetsGoOfTheSnapshotAtOnce() {
    decoded.remember(decoded.generation(), List.of(container("web"), container("db")));
    assertTrue(decoded.keepsSnapshot());

    decoded.written();

    assertFalse(decoded.keepsSnapshot(), "the removed containers are not held until the next list");
  }

  @Test
  void aStaleSnapshotStoredAfterTheWriteIsDroppedWhenFoundStale() {
    long before = decoded.generation();
    decoded.written();
    decoded.remember(before, List.of(container("web")));
    assertTrue(decoded.keepsSnapshot());

    assertEquals(Optional.empty(), decoded.byName("web"));
    assertFalse(decoded.keepsSnapshot());
  }

  @Test
  void aDocumentIsDecodedAgainOnlyWhenItsTextChanged() {
    var decodes = new AtomicInteger();
    ContainerDocument doc = ContainerDocument.of(container("web"));
    ContainerDocument first = decoded.document("a", "{\"v\":1}", json -> {
      decodes.incrementAndGet();
      return doc;
    });
    ContainerDocument again = decoded.document("a", "{\"v\":1}", json -> {
      decodes.incrementAndGet();
      return ContainerDocument.of(container("other"));
    });
    assertSame(first, again);
    assertEquals(1, decodes.get());

    decoded.document("a", "{\"v\":2}", json -> {
      decodes.incrementAndGet();
      return doc;
    });
    assertEquals(2, decodes.get(), "changed text, decoded afresh");

    decoded.deleted("a");
    decoded.document("a", "{\"v\":2}", json -> {
      decodes.incrementAndGet();
      return doc;
    });
    assertEquals(3, decodes.get(), "a deleted row's document is forgotten");
  }

  private static Container container(String name) {
    return new Container(ContainerId.random(), new ContainerName(name), Instant.EPOCH, IMAGE, null,
        HostConfig.DEFAULT, ContainerState.Created.FRESH, 0);
  }
}
