package dev.berth.store.network;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.network.Network;
import dev.berth.core.network.NetworkId;
import dev.berth.core.network.NetworkRepository;
import dev.berth.store.Database;
import dev.berth.store.JsonColumn;
import dev.berth.store.SqliteError;
import dev.berth.store.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link NetworkRepository} on the {@code networks} table. */
public final class SqliteNetworkRepository implements NetworkRepository {

  private final Database db;
  private final JsonColumn<NetworkDocument> json = JsonColumn.of(NetworkDocument.class);

  public SqliteNetworkRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Network> find(NetworkId id) {
    return one(NetworkSql.FIND, id.hex());
  }

  @Override
  public Optional<Network> findByName(String name) {
    return one(NetworkSql.FIND_BY_NAME, name);
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
    return many(NetworkSql.FIND_BY_ID_PREFIX, prefix);
  }

  @Override
  public List<Network> list() {
    return many(NetworkSql.LIST);
  }

  @Override
  public void insert(Network n) {
    db.writeVoid(c -> {
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
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(NetworkSql.DELETE)) {
        ps.setString(1, id.hex());
        ps.executeUpdate();
      }
    });
  }

  private Optional<Network> one(String sql, String param) {
    return many(sql, param).stream().findFirst();
  }

  private List<Network> many(String sql, String... params) {
    return db.read(c -> {
      try (var ps = c.prepareStatement(sql)) {
        for (int i = 0; i < params.length; i++) {
          ps.setString(i + 1, params[i]);
        }
        try (var rs = ps.executeQuery()) {
          var out = new ArrayList<Network>();
          while (rs.next()) {
            out.add(row(rs));
          }
          return out;
        }
      }
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
