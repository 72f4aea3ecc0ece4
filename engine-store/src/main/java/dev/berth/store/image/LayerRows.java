package dev.berth.store.image;

import dev.berth.core.image.ChainId;
import dev.berth.core.image.Digest;
import dev.berth.core.image.Layer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link Layer} to and from a {@code layers} row. */
final class LayerRows {

  private LayerRows() {}

  static void bind(PreparedStatement ps, Layer layer) throws SQLException {
    ps.setString(1, layer.chainId().toString());
    ps.setString(2, layer.diffId().toString());
    ps.setString(3, layer.parent() == null ? null : layer.parent().toString());
    ps.setLong(4, layer.size());
    ps.setString(5, layer.blob() == null ? null : layer.blob().toString());
    ps.setString(6, layer.mediaType());
  }

  static List<Layer> readAll(ResultSet rs) throws SQLException {
    var out = new ArrayList<Layer>();
    while (rs.next()) {
      out.add(new Layer(
          new ChainId(Digest.parse(rs.getString("chain_id"))),
          Digest.parse(rs.getString("diff_id")),
          chainId(rs.getString("parent")),
          rs.getLong("size"),
          digest(rs.getString("blob")),
          rs.getString("media_type")));
    }
    return out;
  }

  private static ChainId chainId(String s) {
    return s == null ? null : new ChainId(Digest.parse(s));
  }

  private static Digest digest(String s) {
    return s == null ? null : Digest.parse(s);
  }
}
