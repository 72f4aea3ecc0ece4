package dev.berth.core.image;

import java.util.List;

/**
 * The filters of {@code GET /images/json}. Different keys must all match. Reference patterns are
 * alternatives (any may match); label filters must all match, as moby's {@code MatchKVList} has it.
 *
 * @param references glob patterns on the familiar reference ({@code busy*}, {@code busybox:1.*})
 * @param dangling null for no filter
 * @param labels {@code key} or {@code key=value}
 * @param before an image reference or ID; only images created before it (config created time, load
 *     order breaking ties)
 * @param since an image reference or ID; only images created after it
 */
public record ImageFilter(List<String> references, Boolean dangling, List<String> labels, String before, String since) {

  public static final ImageFilter NONE = new ImageFilter(List.of(), null, List.of(), null, null);

  public ImageFilter {
    references = List.copyOf(references);
    labels = List.copyOf(labels);
  }
}
