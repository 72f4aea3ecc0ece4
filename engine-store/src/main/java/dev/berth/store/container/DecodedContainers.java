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
 *   <li>the container last made from each row, with the row's revision ({@code row_rev}, which
 *       the schema gives anew whenever anything in the row changes), its document's
 *       ({@code config_rev}, anew whenever {@code config_json} changes) and its columns. A list
 *       after a write reads nothing more of a row whose revision is the one kept, and decodes
 *       only the documents whose revision changed (a state change rewrites the columns, not the
 *       document: the container is made again from the one kept); a row no write touched is the
 *       same {@link Container} instance from one list to the next, which the API's cache of list
 *       entries relies on.
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
   * The container made from a row, with the row's revision and its document's. Neither the document
   * nor its text is kept: the container holds all of it and the row's columns, and they were a
   * second and a third copy of the row in the heap.
   */
  record Made(long rowRevision, long revision, Container container) {}

  /** The columns of a row besides its document, which a container is made from with the document. */
  record Columns(ContainerId id, ContainerName name, Instant created, ImageId imageId, ContainerState state,
      int restartCount) {

    /** The columns {@code c} was made with: a container holds them as they were. */
    static Columns of(Container c) {
      return new Columns(c.id(), c.name(), c.created(), c.imageId(), c.state(), c.restartCount());
    }
  }

  private final TableCache<Snapshot> snapshot = new TableCache<>();
  private final Map<String, Made> documents = new ConcurrentHashMap<>();

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

  /** The container made before from revision {@code rowRevision} of row {@code id}, or null. */
  Container unchanged(String id, long rowRevision) {
    Made m = documents.get(id);
    return m != null && m.rowRevision() == rowRevision ? m.container() : null;
  }

  /**
   * What was made before from revision {@code revision} of row {@code id}'s document, or null: then
   * the row's text is needed, for {@link #container}.
   */
  Made made(String id, long revision) {
    Made m = documents.get(id);
    return m != null && m.revision() == revision ? m : null;
  }

  /**
   * The container revision {@code rowRevision} of a row holds, with {@code columns} and revision
   * {@code revision} of its document: made from {@code known}, what {@link #made} found for that
   * revision, or else by {@code make} from the document that {@code decode} reads from
   * {@code json}, the row's text.
   */
  Container container(Columns columns, long rowRevision, long revision, Made known, String json,
      Function<String, ContainerDocument> decode, BiFunction<ContainerDocument, Columns, Container> make) {
    Container made;
    if (known != null) {
      // The row written again as it was is the same container, kept with its new revision so the
      // next list reads no more of it; else the columns alone changed (a state change rewrites
      // them, not the document).
      made = columns.equals(Columns.of(known.container())) ? known.container()
          : withColumns(known.container(), columns);
    } else {
      made = make.apply(decode.apply(json), columns);
    }
    documents.put(columns.id().hex(), new Made(rowRevision, revision, made));
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
