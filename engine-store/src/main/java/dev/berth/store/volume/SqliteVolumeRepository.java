package dev.berth.store.volume;

import dev.berth.core.error.ConflictException;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeName;
import dev.berth.core.volume.VolumeRepository;
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

/** {@link VolumeRepository} on the {@code volumes} table. */
public final class SqliteVolumeRepository implements VolumeRepository {

  private final Database db;
  private final JsonColumn<VolumeDocument> json = JsonColumn.of(VolumeDocument.class);

  public SqliteVolumeRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Volume> find(VolumeName name) {
    return db.read(c -> {
      try (var ps = c.prepareStatement(VolumeSql.FIND)) {
        ps.setString(1, name.value());
        try (var rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(row(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Volume> list() {
    return db.read(c -> {
      try (var ps = c.prepareStatement(VolumeSql.LIST); var rs = ps.executeQuery()) {
        var out = new ArrayList<Volume>();
        while (rs.next()) {
          out.add(row(rs));
        }
        return out;
      }
    });
  }

  @Override
  public void insert(Volume v) {
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(VolumeSql.INSERT)) {
        ps.setString(1, v.name().value());
        ps.setString(2, v.driver());
        ps.setString(3, Timestamps.format(v.createdAt()));
        ps.setString(4, json.write(VolumeDocument.of(v)));
        ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isUniqueViolation(e)) {
          throw new ConflictException("volume name must be unique: " + v.name(), e);
        }
        throw e;
      }
    });
  }

  @Override
  public void delete(VolumeName name) {
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(VolumeSql.DELETE)) {
        ps.setString(1, name.value());
        ps.executeUpdate();
      }
    });
  }

  private Volume row(ResultSet rs) throws SQLException {
    String name = rs.getString("name");
    var volumeName = new VolumeName(name);
    String driver = rs.getString("driver");
    Instant created = Timestamps.parse(rs.getString("created"));
    return json.read(rs.getString("config_json"), doc -> doc.requireReadable(name).toVolume(volumeName, driver,
        created));
  }
}
