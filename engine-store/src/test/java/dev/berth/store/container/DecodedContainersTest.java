package dev.berth.store.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DecodedContainersTest {

  private static final ImageId IMAGE = new ImageId(Digest.of("image".getBytes(StandardCharsets.UTF_8)));

  private final DecodedContainers decoded = new DecodedContainers();
  /** Row revisions, each read a new one. */
  private final AtomicInteger rows = new AtomicInteger();

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
  void aDocumentIsDecodedAgainOnlyWhenItsRevisionChanged() {
    var decodes = new AtomicInteger();
    Container web = container("web");
    var columns = columns(web, ContainerState.Created.FRESH);
    read(1, "{\"v\":1}", columns, json -> decoded(decodes, web));
    read(1, "{\"v\":1}", columns(web, new ContainerState.Exited(0, Instant.EPOCH, Instant.EPOCH, "", false, false)),
        json -> decoded(decodes, web));
    assertEquals(1, decodes.get(), "the columns changed, the document did not");

    read(2, "{\"v\":2}", columns, json -> decoded(decodes, web));
    assertEquals(2, decodes.get(), "a new revision, decoded afresh");

    decoded.deleted(web.id().hex());
    read(2, "{\"v\":2}", columns, json -> decoded(decodes, web));
    assertEquals(3, decodes.get(), "a deleted row's document is forgotten");
  }

  @Test
  void onlyTheRevisionDecodedLastNeedsNoText() {
    Container web = container("web");
    read(4, "{}", columns(web, ContainerState.Created.FRESH), json -> ContainerDocument.of(web));

    assertEquals(4, decoded.made(web.id().hex(), 4).revision());
    assertNull(decoded.made(web.id().hex(), 5), "a later revision's text is read");
    assertNull(decoded.made(web.id().hex(), 3));
    assertNull(decoded.made(container("db").id().hex(), 4), "another row's");
  }

  @Test
  void aRowAtTheRevisionItWasMadeFromIsThatContainer() {
    Container web = container("web");
    var columns = columns(web, ContainerState.Created.FRESH);
    Container made = decoded.container(columns, 7, 1, null, "{}", json -> ContainerDocument.of(web),
        DecodedContainersTest::make);

    assertSame(made, decoded.unchanged(web.id().hex(), 7));
    assertNull(decoded.unchanged(web.id().hex(), 8), "the row changed since");

    // Written again as it was: a new row revision, the same document and columns.
    assertSame(made, decoded.container(columns, 8, 1, decoded.made(web.id().hex(), 1), null, json -> {
      throw new AssertionError("decoded again");
    }, DecodedContainersTest::make));
    assertSame(made, decoded.unchanged(web.id().hex(), 8), "kept with its new revision");

    decoded.deleted(web.id().hex());
    assertNull(decoded.unchanged(web.id().hex(), 8));
  }

  @Test
  void aRowWhoseColumnsAloneChangedIsTheContainerItsDocumentMakesWithThem() {
    Container web = container("web");
    ContainerDocument doc = ContainerDocument.of(web);
    read(1, "{}", columns(web, ContainerState.Created.FRESH), json -> doc);
    var exited = columns(web, new ContainerState.Exited(3, Instant.EPOCH, Instant.EPOCH, "", false, true));

    Container again = read(1, "{}", exited, json -> {
      throw new AssertionError("decoded again");
    });

    assertEquals(make(doc, exited), again, "made from the container kept, as the document would make it");
  }

  @Test
  void anUnchangedRowIsTheSameContainerFromOneReadToTheNext() {
    Container web = container("web");
    var columns = columns(web, ContainerState.Created.FRESH);
    Container first = read(1, "{}", columns, json -> ContainerDocument.of(web));
    decoded.written();
    assertSame(first, read(1, "{}", columns(web, ContainerState.Created.FRESH), json -> ContainerDocument.of(web)));

    Container exited = read(1, "{}", columns(web, new ContainerState.Exited(1, Instant.EPOCH, Instant.EPOCH, "", false,
        false)), json -> ContainerDocument.of(web));
    assertEquals(1, ((ContainerState.Exited) exited.state()).exitCode());
  }

  /**
   * A row read as the repository reads one whose row revision is new: its text only if that
   * document revision was not made before.
   */
  private Container read(long revision, String json, DecodedContainers.Columns columns,
      Function<String, ContainerDocument> decode) {
    var known = decoded.made(columns.id().hex(), revision);
    return decoded.container(columns, rows.incrementAndGet(), revision, known, known == null ? json : null, text -> {
      assertEquals(json, text);
      return decode.apply(text);
    }, DecodedContainersTest::make);
  }

  private static ContainerDocument decoded(AtomicInteger decodes, Container c) {
    decodes.incrementAndGet();
    return ContainerDocument.of(c);
  }

  private static DecodedContainers.Columns columns(Container c, ContainerState state) {
    return new DecodedContainers.Columns(c.id(), c.name(), c.created(), c.imageId(), state, c.restartCount());
  }

  private static Container make(ContainerDocument doc, DecodedContainers.Columns row) {
    return doc.toContainer(row.id(), row.name(), row.created(), row.imageId(), row.state(), row.restartCount());
  }

  private static Container container(String name) {
    return new Container(ContainerId.random(), new ContainerName(name), Instant.EPOCH, IMAGE, null,
        HostConfig.DEFAULT, ContainerState.Created.FRESH, 0);
  }
}
