package dev.berth.store.network;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.NetworkRepository;
import dev.berth.store.Database;
import dev.berth.store.JsonColumn;
import dev.berth.store.SqliteError;
import dev.berth.store.TableCache;
import dev.berth.store.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link NetworkRepository} on the {@code networks} table. Lookups are answered from the table as
 * last read ({@link TableCache}): rows are only ever inserted and deleted, a host has a few
 * networks, and each {@code docker run} looks its networks up three or four times (through SQL and
 * the JSON of each row, ~1.5 ms of its CPU here).
 */
public final class SqliteNetworkRepository implements NetworkRepository {

  /** The table, by name as {@link NetworkSql#LIST} orders it, and by ID. */
  private record Table(List<Network> byName, Map<String, Network> byId) {}

  private final Database db;
  private final JsonColumn<NetworkDocument> json = JsonColumn.of(NetworkDocument.class);
  private final TableCache<Table> table = new TableCache<>();

  public SqliteNetworkRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Network> find(NetworkId id) {
    return Optional.ofNullable(table().byId().get(id.hex()));
  }

  @Override
  public Optional<Network> findByName(String name) {
    return table().byName().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** Reads no document, so engine start, which checks the predefined networks, decodes none. */
  @Override
  public boolean existsByName(String name) {
    return db.read(c -> {
      try (var ps = c.prepareStatement(NetworkSql.EXISTS_BY_NAME)) {
        ps.setString(1, name);
        try (var rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  @Override
  public List<Network> findByIdPrefix(String prefix) {
    if (!prefix.matches("[a-f0-9]+")) {
      throw new InvalidArgumentException("not a hex ID prefix: " + prefix);
    }
    return table().byName().stream().filter(n -> n.id().hex().startsWith(prefix)).toList();
  }

  @Override
  public List<Network> list() {
    return table().byName();
  }

  @Override
  public void insert(Network n) {
    write(c -> {
      try (var ps = c.prepareStatement(NetworkSql.INSERT)) {
        ps.setString(1, n.id().hex());
        ps.setString(2, n.name());
        ps.setString(3, n.driver());
        ps.setString(4, Timestamps.format(n.created()));
        ps.setString(5, json.write(NetworkDocument.of(n)));
        ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isUniqueViolation(e)) {
          throw new ConflictException("network with name " + n.name() + " already exists", e);
        }
        throw e;
      }
    });
  }

  @Override
  public void delete(NetworkId id) {
    write(c -> {
      try (var ps = c.prepareStatement(NetworkSql.DELETE)) {
        ps.setString(1, id.hex());
        ps.executeUpdate();
      }
    });
  }

  /** Every write goes through here: once it has committed or failed, the table as read before is not used. */
  private void write(Database.VoidWork work) {
    try {
      db.writeVoid(work);
    } finally {
      table.written();
    }
  }

  private Table table() {
    return table.get(() -> {
      List<Network> byName = db.read(c -> {
        try (var ps = c.prepareStatement(NetworkSql.LIST); var rs = ps.executeQuery()) {
          var out = new ArrayList<Network>();
          while (rs.next()) {
            out.add(row(rs));
          }
          return out;
        }
      });
      var byId = new HashMap<String, Network>();
      byName.forEach(n -> byId.put(n.id().hex(), n));
      return new Table(List.copyOf(byName), Map.copyOf(byId));
    });
  }

  private Network row(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    var networkId = new NetworkId(id);
    String name = rs.getString("name");
    String driver = rs.getString("driver");
    Instant created = Timestamps.parse(rs.getString("created"));
    return json.read(rs.getString("config_json"), d -> d.requireReadable(id).toNetwork(networkId, name, driver,
        created));
  }
}
