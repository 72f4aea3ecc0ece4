package dev.berth.store.container;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.image.ImageId;
import dev.berth.store.TableCache;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What {@link SqliteContainerRepository} has already decoded, so that listing containers does not
 * parse every row's {@code config_json} again (~75% of a list's time before this cache). Two
 * levels:
 *
 * <ul>
 *   <li>the whole table as the last {@code list()} read it, valid until the next write: while
 *       nothing changes, a list or lookup reads no SQL at all;
 *   <li>the container last made from each row, with the row's exact {@code config_json} text and
 *       its columns, so a list after a write re-decodes only the rows whose text changed (a state
 *       change rewrites the columns, not the document: the container is made again from the one
 *       kept), and a row no write touched is the same {@link Container} instance from one list to
 *       the next, which the API's cache of list entries relies on.
 * </ul>
 *
 * <p>The snapshot is a {@link TableCache}: correct under concurrent writes without locks, and let
 * go as soon as it is known stale, which after {@code rm} of a thousand containers is a few MiB
 * of heap not held until the next list.
 */
final class DecodedContainers {

  /** The table as one {@code list()} read it. */
  private record Snapshot(List<Container> newestFirst, Map<String, Container> byId, Map<String, Container> byName) {}

  /**
   * The container made from a row: the exact text of its document and its columns. The document
   * itself is not kept: the container holds all of it, and its objects were a second copy of the
   * row in the heap.
   */
  private record Decoded(String json, Columns columns, Container made) {}

  /** The columns of a row besides its document, which a container is made from with the document. */
  record Columns(ContainerId id, ContainerName name, Instant created, ImageId imageId, ContainerState state,
      int restartCount) {}

  private final TableCache<Snapshot> snapshot = new TableCache<>();
  private final Map<String, Decoded> documents = new ConcurrentHashMap<>();

  /** The generation a reader must note before it queries, to pass to {@link #remember}. */
  long generation() {
    return snapshot.generation();
  }

  /** Called after every write to the table, committed or not: every snapshot taken so far is stale. */
  void written() {
    snapshot.written();
  }

  /** The whole table, newest first, if no write happened since it was read. */
  Optional<List<Container>> list() {
    return snapshot.current().map(Snapshot::newestFirst);
  }

  /** Some(found or not) if the snapshot is current, else empty: then the caller asks SQL. */
  Optional<Optional<Container>> byId(String id) {
    return snapshot.current().map(s -> Optional.ofNullable(s.byId().get(id)));
  }

  /** As {@link #byId}, by name. */
  Optional<Optional<Container>> byName(String name) {
    return snapshot.current().map(s -> Optional.ofNullable(s.byName().get(name)));
  }

  /** The current snapshot's containers, for a scan such as an ID prefix, if it is current. */
  Optional<Iterable<Container>> all() {
    return snapshot.current().map(s -> s.byId().values());
  }

  /**
   * Keeps {@code newestFirst}, read by a query that started at {@code readUnder}, as the table;
   * and forgets the documents of rows no longer in it. Returns it unmodifiable.
   */
  List<Container> remember(long readUnder, List<Container> newestFirst) {
    var byId = new HashMap<String, Container>(newestFirst.size() * 2);
    var byName = new HashMap<String, Container>(newestFirst.size() * 2);
    for (Container c : newestFirst) {
      byId.put(c.id().hex(), c);
      byName.put(c.name().value(), c);
    }
    documents.keySet().retainAll(byId.keySet());
    var s = new Snapshot(List.copyOf(newestFirst), Map.copyOf(byId), Map.copyOf(byName));
    snapshot.keep(readUnder, s);
    return s.newestFirst();
  }

  /**
   * The container a row with {@code json} and {@code columns} holds: the one made before if neither
   * changed, else made by {@code make} from the document, which is decoded again only if the text
   * changed.
   */
  Container container(String json, Columns columns, Function<String, ContainerDocument> decode,
      BiFunction<ContainerDocument, Columns, Container> make) {
    String id = columns.id().hex();
    Decoded d = documents.get(id);
    Container made;
    if (d != null && d.json().equals(json)) {
      if (columns.equals(d.columns())) {
        return d.made();
      }
      // The columns alone changed (a state change rewrites them, not the document).
      made = withColumns(d.made(), columns);
    } else {
      made = make.apply(decode.apply(json), columns);
    }
    documents.put(id, new Decoded(json, columns, made));
    return made;
  }

  /** {@code c}'s document part (what {@link ContainerDocument#toContainer} takes from the document) with {@code k}. */
  private static Container withColumns(Container c, Columns k) {
    return new Container(k.id(), k.name(), k.created(), k.imageId(), c.config(), c.hostConfig(), k.state(),
        k.restartCount(), c.mounts(), c.networking());
  }

  /** Forgets a deleted row's document (a later row with the same ID would be decoded afresh anyway). */
  void deleted(String id) {
    documents.remove(id);
  }

  /** True while a snapshot is kept, current or not. */
  boolean keepsSnapshot() {
    return snapshot.holds();
  }
}
