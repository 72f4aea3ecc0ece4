package dev.berth.store.image;

import dev.berth.core.error.ConflictException;
import dev.berth.core.image.ChainId;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRepository;
import dev.berth.core.image.Layer;
import dev.berth.store.Database;
import dev.berth.store.JsonColumn;
import dev.berth.store.SqliteError;
import dev.berth.store.Timestamps;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@link ImageRepository} on {@code images}, {@code image_tags}, {@code image_digests},
 * {@code layers} and {@code image_layers}.
 *
 * <p>Beyond the interface: a tag or repo digest for an image that is not stored, or a layer
 * whose parent is not stored, is a caller bug ({@link IllegalStateException}); deleting a layer
 * an image or another layer still uses is a {@link ConflictException}, which a concurrent pull
 * reusing the layer can cause.
 */
public final class SqliteImageRepository implements ImageRepository {

  private static final Pattern HEX_PREFIX = Pattern.compile("[a-f0-9]*");

  private final Database db;
  private final JsonColumn<ImageDocument> json = JsonColumn.of(ImageDocument.class);
  private final JsonColumn<String[]> strings = JsonColumn.of(String[].class);

  public SqliteImageRepository(Database db) {
    this.db = db;
  }

  @Override
  public Optional<Image> find(ImageId id) {
    return db.read(c -> queryImages(c, ImageSql.FIND_BY_ID, id.toString()).stream().findFirst());
  }

  @Override
  public List<Image> findByIdPrefix(String hexPrefix) {
    if (!HEX_PREFIX.matcher(hexPrefix).matches()) {
      return List.of(); // IDs are lowercase hex: nothing else can start one.
    }
    // Every ID starting with the prefix sorts below prefix + "g", since 'g' follows every hex digit.
    String from = "sha256:" + hexPrefix;
    return db.read(c -> queryImages(c, ImageSql.FIND_BY_ID_RANGE, from, from + "g"));
  }

  @Override
  public Optional<Image> findByReference(ImageReference ref) {
    return db.read(c -> queryImages(c, ImageSql.FIND_BY_REFERENCE, ref.toString(), ref.toString()).stream()
        .findFirst());
  }

  @Override
  public List<Image> list() {
    return db.read(c -> queryImages(c, ImageSql.LIST));
  }

  @Override
  public void insert(ImageId id, ImageConfig config, long size, Instant loaded) {
    List<ChainId> chain = ChainId.chain(config.diffIds());
    db.writeVoid(c -> {
      for (ChainId layer : chain) {
        if (anyRow(c, ImageSql.MISSING_LAYER, layer.toString())) {
          throw new IllegalStateException("layer not stored: " + layer);
        }
      }
      int inserted;
      try (var ps = c.prepareStatement(ImageSql.INSERT_IMAGE)) {
        ps.setString(1, id.toString());
        ps.setString(2, json.write(ImageDocument.of(config)));
        ps.setLong(3, size);
        ps.setString(4, Timestamps.format(loaded));
        inserted = ps.executeUpdate();
      }
      if (inserted == 0) {
        return; // Already stored; its layers were fixed then.
      }
      try (var ps = c.prepareStatement(ImageSql.INSERT_IMAGE_LAYER)) {
        for (int position = 0; position < chain.size(); position++) {
          ps.setString(1, id.toString());
          ps.setInt(2, position);
          ps.setString(3, chain.get(position).toString());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    });
  }

  @Override
  public void tag(ImageReference ref, ImageId id, Instant when) {
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(ImageSql.TAG)) {
        ps.setString(1, ref.toString());
        ps.setString(2, id.toString());
        ps.setString(3, Timestamps.format(when));
        ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isForeignKeyViolation(e)) {
          throw new IllegalStateException("no image " + id, e);
        }
        throw e;
      }
    });
  }

  @Override
  public boolean untag(ImageReference ref) {
    // A digest reference may be a repo digest too; both go, as moby untags one reference store entry.
    return db.write(c -> update(c, ImageSql.UNTAG, ref.toString())
        + (ref.digest() != null ? update(c, ImageSql.UNTAG_REPO_DIGEST, ref.toString()) : 0) > 0);
  }

  @Override
  public void addRepoDigest(ImageId id, String repoDigest) {
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(ImageSql.ADD_REPO_DIGEST)) {
        ps.setString(1, id.toString());
        ps.setString(2, repoDigest);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isForeignKeyViolation(e)) {
          throw new IllegalStateException("no image " + id, e);
        }
        throw e;
      }
    });
  }

  @Override
  public void delete(ImageId id) {
    db.writeVoid(c -> {
      for (String sql : ImageSql.DELETE_IMAGE) {
        update(c, sql, id.toString());
      }
    });
  }

  @Override
  public Optional<Layer> findLayer(ChainId chainId) {
    return db.read(c -> queryLayers(c, ImageSql.FIND_LAYER, chainId.toString()).stream().findFirst());
  }

  @Override
  public void insertLayer(Layer layer) {
    db.writeVoid(c -> {
      try (var ps = c.prepareStatement(ImageSql.INSERT_LAYER)) {
        LayerRows.bind(ps, layer);
        ps.executeUpdate();
      } catch (SQLException e) {
        if (SqliteError.isForeignKeyViolation(e)) {
          throw new IllegalStateException("parent layer not stored: " + layer.parent(), e);
        }
        throw e;
      }
    });
  }

  @Override
  public List<Layer> unusedLayers() {
    return db.read(c -> queryLayers(c, ImageSql.UNUSED_LAYERS));
  }

  @Override
  public void deleteLayer(ChainId chainId) {
    db.writeVoid(c -> {
      try {
        update(c, ImageSql.DELETE_LAYER, chainId.toString());
      } catch (SQLException e) {
        if (SqliteError.isForeignKeyViolation(e)) {
          throw new ConflictException("layer " + chainId + " is in use by an image or a layer above it", e);
        }
        throw e;
      }
    });
  }

  private List<Image> queryImages(Connection c, String sql, String... params) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        var out = new ArrayList<Image>();
        while (rs.next()) {
          out.add(image(rs));
        }
        return out;
      }
    }
  }

  private Image image(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    return new Image(
        ImageId.parse(id),
        json.read(rs.getString("config_json"), doc -> doc.readableConfig(id)),
        rs.getLong("size"),
        Timestamps.parse(rs.getString("loaded")),
        Arrays.stream(strings.read(rs.getString("tags"))).map(ImageReference::parse).toList(),
        List.of(strings.read(rs.getString("repo_digests"))),
        Timestamps.parse(rs.getString("last_tag_time")));
  }

  private static List<Layer> queryLayers(Connection c, String sql, String... params) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      try (var rs = ps.executeQuery()) {
        return LayerRows.readAll(rs);
      }
    }
  }

  private static boolean anyRow(Connection c, String sql, String param) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int update(Connection c, String sql, String param) throws SQLException {
    try (var ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      return ps.executeUpdate();
    }
  }
}
