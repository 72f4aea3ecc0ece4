package dev.berth.store.container;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.error.ConflictException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.ImageId;
import dev.berth.store.Database;
import dev.berth.store.JsonColumn;
import dev.berth.store.SqliteError;
import dev.berth.store.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@link ContainerRepository} on the {@code containers} table. */
public final class SqliteContainerRepository implements ContainerRepository {

  private static final Pattern HEX_PREFIX = Pattern.compile("[a-f0-9]*");

  private final Database db;
  private final JsonColumn<ContainerDocument> json = JsonColumn.of(ContainerDocument.class);
  private final DecodedContainers decoded = new DecodedContainers();

  public SqliteContainerRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Container> find(ContainerId id) {
    return decoded.byId(id.hex()).orElseGet(() -> db.read(c -> queryOne(c, ContainerSql.FIND_BY_ID, id.hex())));
  }

  @Override
  public Optional<Container> findByName(ContainerName name) {
    return decoded.byName(name.value())
        .orElseGet(() -> db.read(c -> queryOne(c, ContainerSql.FIND_BY_NAME, name.value())));
  }

  @Override
  public List<Container> findByIdPrefix(String hexPrefix) {
    if (!HEX_PREFIX.matcher(hexPrefix).matches()) {
      return List.of(); // IDs are lowercase hex: nothing else can start one.
    }
    var cached = decoded.all();
    if (cached.isPresent()) {
      var found = new ArrayList<Container>();
      for (Container c : cached.get()) {
        if (c.id().hex().startsWith(hexPrefix)) {
          found.add(c);
        }
      }
      found.sort(Comparator.comparing(c -> c.id().hex()));
      return found;
    }
    // Every ID starting with the prefix sorts below prefix + "g", since 'g' follows every hex digit.
    return db.read(c -> query(c, ContainerSql.FIND_BY_ID_RANGE, hexPrefix, hexPrefix + "g"));
  }

  @Override
  public List<Container> list() {
    var cached = decoded.list();
    if (cached.isPresent()) {
      return cached.get();
    }
    long generation = decoded.generation();
    return decoded.remember(generation, db.read(c -> query(c, ContainerSql.LIST)));
  }

  @Override
  public void insert(Container container) {
    write(c -> {
      try (var ps = c.prepareStatement(ContainerSql.INSERT)) {
        ps.setString(1, container.id().hex());
        bindRow(ps, 2, container);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isUniqueViolation(e)) {
          throw idTaken(c, container.id()) ? idConflict(container.id(), e) : nameConflict(c, container.name(), e);
        }
        throw e;
      }
    });
  }

  @Override
  public void update(Container container) {
    write(c -> {
      int changed;
      try (var ps = c.prepareStatement(ContainerSql.UPDATE)) {
        int next = bindRow(ps, 1, container);
        ps.setString(next, container.id().hex());
        changed = ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isUniqueViolation(e)) {
          throw nameConflict(c, container.name(), e);
        }
        throw e;
      }
      if (changed == 0) {
        throw new NotFoundException("No such container: " + container.id());
      }
    });
  }

  @Override
  public void delete(ContainerId id) {
    write(c -> {
      try (var ps = c.prepareStatement(ContainerSql.DELETE)) {
        ps.setString(1, id.hex());
        ps.executeUpdate();
      }
    });
    decoded.deleted(id.hex());
  }

  /** Every write goes through here: once it has committed or failed, no decoded snapshot before it is used. */
  private void write(Database.VoidWork work) {
    try {
      db.writeVoid(work);
    } finally {
      decoded.written();
    }
  }

  /** Binds every column after the id, starting at {@code first}; returns the next index. */
  private int bindRow(PreparedStatement ps, int first, Container container) throws SQLException {
    int i = first;
    ps.setString(i++, container.name().value());
    ps.setString(i++, container.imageId().toString());
    ps.setString(i++, Timestamps.format(container.created()));
    StateColumns.of(container.state()).bind(ps, i);
    i += StateColumns.WIDTH;
    ps.setInt(i++, container.restartCount());
    ps.setString(i++, json.write(ContainerDocument.of(container)));
    return i;
  }

  /** A row as read: either the container made before from the same revision of it, or what it holds. */
  private sealed interface Row {}

  private record Unchanged(Container container) implements Row {}

  /**
   * A row read in full, before its document is decoded: its columns, its revision and its
   * document's, and what was made from that document revision before or, if nothing was, the
   * document's text.
   */
  private record Changed(DecodedContainers.Columns columns, long rowRevision, long revision,
      DecodedContainers.Made known, String document) implements Row {}

  private Row row(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    long rowRevision = rs.getLong("row_rev");
    Container unchanged = decoded.unchanged(id, rowRevision);
    if (unchanged != null) {
      // Nothing else of it is read: with 2000 rows the columns' JDBC calls and parsing were most
      // of a list after a write.
      return new Unchanged(unchanged);
    }
    // The columns first: the mapping reports only what the document holds as a corrupt document.
    var containerId = new ContainerId(id);
    var name = new ContainerName(rs.getString("name"));
    Instant created = Timestamps.parse(rs.getString("created"));
    ImageId imageId = ImageId.parse(rs.getString("image_id"));
    ContainerState state = StateColumns.read(rs).toState(id);
    int restartCount = rs.getInt("restart_count");
    long revision = rs.getLong("config_rev");
    // The text of a document decoded before is not read at all: with 2000 rows that was 4.6 MB of
    // strings made and compared per list after a write.
    var known = decoded.made(id, revision);
    return new Changed(new DecodedContainers.Columns(containerId, name, created, imageId, state, restartCount),
        rowRevision, revision, known, known == null ? rs.getString("config_json") : null);
  }

  private Container container(Row row) {
    return switch (row) {
      case Unchanged u -> u.container();
      case Changed r -> {
        String id = r.columns().id().hex();
        yield decoded.container(r.columns(), r.rowRevision(), r.revision(), r.known(), r.document(), json::read,
            (document, c) -> json.map(document, doc -> doc.requireReadable(id).toContainer(c.id(), c.name(),
                c.created(), c.imageId(), c.state(), c.restartCount())));
      }
    };
  }

  private static final int PARALLEL_DECODE_ROWS = 256;

  private Optional<Container> queryOne(Connection c, String sql, String param) throws SQLException {
    List<Container> found = query(c, sql, param);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.getFirst());
  }

  private List<Container> query(Connection c, String sql, String... params) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        var rows = new ArrayList<Row>();
        while (rs.next()) {
          rows.add(row(rs));
        }
        // Many documents not decoded yet (the first list after an engine start, by code the JIT has
        // not compiled) are decoded on every core; a few, or ones decoded before, on this thread.
        return rows.size() < PARALLEL_DECODE_ROWS ? rows.stream().map(this::container).toList()
            : rows.parallelStream().map(this::container).toList();
      }
    }
  }

  private static boolean idTaken(Connection c, ContainerId id) throws SQLException {
    try (var ps = c.prepareStatement(ContainerSql.ID_EXISTS)) {
      ps.setString(1, id.hex());
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static ConflictException idConflict(ContainerId id, SQLException cause) {
    return new ConflictException("container ID " + id + " is already in use", cause);
  }

  /**
   * Names the holder in dockerd's words. The statement failed but its transaction is still open,
   * so the lookup sees exactly the row that made it fail.
   */
  private static ConflictException nameConflict(Connection c, ContainerName name, SQLException cause)
      throws SQLException {
    try (var ps = c.prepareStatement(ContainerSql.ID_BY_NAME)) {
      ps.setString(1, name.value());
      try (var rs = ps.executeQuery()) {
        String holder = rs.next() ? rs.getString(1) : "";
        return new ConflictException("Conflict. The container name \"" + name.slashed()
            + "\" is already in use by container \"" + holder
            + "\". You have to remove (or rename) that container to be able to reuse that name.", cause);
      }
    }
  }
}
