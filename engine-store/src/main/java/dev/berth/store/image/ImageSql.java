package dev.berth.store.image;

import java.util.List;

/** Every statement on {@code images}, {@code image_tags}, {@code image_digests}, {@code layers} and {@code image_layers}. */
final class ImageSql {

  private ImageSql() {}

  /**
   * An image with its references in one statement, so a tag moving concurrently is seen either
   * before or after the move, never half-way.
   */
  private static final String SELECT_IMAGE = """
      SELECT i.id, i.config_json, i.size, i.loaded,
             (SELECT json_group_array(t.reference ORDER BY t.reference)
                FROM image_tags t WHERE t.image_id = i.id) AS tags,
             (SELECT max(t.tagged_at)
                FROM image_tags t WHERE t.image_id = i.id) AS last_tag_time,
             (SELECT json_group_array(d.repo_digest ORDER BY d.repo_digest)
                FROM image_digests d WHERE d.image_id = i.id) AS repo_digests
        FROM images i
      """;

  static final String FIND_BY_ID = SELECT_IMAGE + """
       WHERE i.id = ?
      """;

  /** A half-open range on the primary key, so the prefix search uses its index. */
  static final String FIND_BY_ID_RANGE = SELECT_IMAGE + """
       WHERE i.id >= ? AND i.id < ?
       ORDER BY i.id
      """;

  /**
   * A tag, or a digest reference either tagged explicitly or recorded as a repo digest by a pull
   * or push: moby's reference store holds both kinds, so both resolve. Takes the reference twice.
   * image_digests has no index on repo_digest: it holds a row per pulled or pushed image, few
   * enough to scan.
   */
  static final String FIND_BY_REFERENCE = SELECT_IMAGE + """
       WHERE i.id = (SELECT image_id FROM image_tags WHERE reference = ?
                     UNION ALL
                     SELECT image_id FROM image_digests WHERE repo_digest = ?
                     LIMIT 1)
      """;

  static final String LIST = SELECT_IMAGE + """
       ORDER BY i.loaded DESC, i.id
      """;

  static final String INSERT_IMAGE = """
      INSERT INTO images (id, config_json, size, loaded) VALUES (?, ?, ?, ?)
          ON CONFLICT (id) DO NOTHING
      """;

  static final String INSERT_IMAGE_LAYER = """
      INSERT INTO image_layers (image_id, position, chain_id) VALUES (?, ?, ?)
      """;

  static final String TAG = """
      INSERT INTO image_tags (reference, image_id, tagged_at) VALUES (?, ?, ?)
          ON CONFLICT (reference) DO UPDATE SET image_id = excluded.image_id, tagged_at = excluded.tagged_at
      """;

  static final String UNTAG = """
      DELETE FROM image_tags WHERE reference = ?
      """;

  static final String UNTAG_REPO_DIGEST = """
      DELETE FROM image_digests WHERE repo_digest = ?
      """;

  static final String ADD_REPO_DIGEST = """
      INSERT INTO image_digests (image_id, repo_digest) VALUES (?, ?)
          ON CONFLICT DO NOTHING
      """;

  /** Children first, since the foreign keys do not cascade; each takes the image ID. */
  static final List<String> DELETE_IMAGE = List.of(
      "DELETE FROM image_tags WHERE image_id = ?",
      "DELETE FROM image_digests WHERE image_id = ?",
      "DELETE FROM image_layers WHERE image_id = ?",
      "DELETE FROM images WHERE id = ?");

  private static final String SELECT_LAYER = """
      SELECT chain_id, diff_id, parent, size, blob, media_type FROM layers
      """;

  static final String FIND_LAYER = SELECT_LAYER + """
       WHERE chain_id = ?
      """;

  static final String MISSING_LAYER = """
      SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM layers WHERE chain_id = ?)
      """;

  static final String INSERT_LAYER = """
      INSERT INTO layers (chain_id, diff_id, parent, size, blob, media_type) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (chain_id) DO NOTHING
      """;

  /**
   * Layers no image lists, deepest first. Depth is the distance from the base layer, and a child
   * is always one deeper than its parent, so deleting in this order never orphans a child.
   */
  static final String UNUSED_LAYERS = """
      WITH RECURSIVE depth (chain_id, depth) AS (
          SELECT chain_id, 0 FROM layers WHERE parent IS NULL
          UNION ALL
          SELECT l.chain_id, d.depth + 1 FROM layers l JOIN depth d ON l.parent = d.chain_id
      )
      SELECT l.chain_id, l.diff_id, l.parent, l.size, l.blob, l.media_type
        FROM layers l JOIN depth d ON d.chain_id = l.chain_id
       WHERE NOT EXISTS (SELECT 1 FROM image_layers il WHERE il.chain_id = l.chain_id)
       ORDER BY d.depth DESC, l.chain_id
      """;

  static final String DELETE_LAYER = """
      DELETE FROM layers WHERE chain_id = ?
      """;
}
