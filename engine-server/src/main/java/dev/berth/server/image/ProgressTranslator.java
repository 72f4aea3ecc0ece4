package dev.berth.server.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.core.image.distribution.Progress;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Pull and push progress as dockerd streams it (moby pkg/streamformatter, pkg/jsonmessage):
 * plain status lines carry {@code status} and maybe {@code id}; layer lines also an empty
 * {@code progressDetail}; transfers the byte counts and the rendered bar in {@code progress}. Pure.
 */
public final class ProgressTranslator {

  /** One line of the stream; absent fields are left out, as Go's omitempty does. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Line(String status, Detail progressDetail, String progress, String id, PushResult aux) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Detail(Long current, Long total) {}

  public record PushResult(String Tag, String Digest, long Size) {}

  private static final Detail EMPTY = new Detail(null, null);
  // dockerd renders bars for a width of 200 columns (no terminal), which draws the bracketed bar.
  private static final int BAR = 50;
  private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};

  private ProgressTranslator() {}

  public static Line line(Progress p) {
    return switch (p) {
      case Progress.Message m -> new Line(m.status(), null, null, m.id(), null);
      case Progress.LayerStatus s -> new Line(s.status(), EMPTY, null, s.id(), null);
      case Progress.Transfer t -> new Line(t.action(), new Detail(t.current(), t.total() > 0 ? t.total() : null),
          bar(t.current(), t.total()), t.id(), null);
      case Progress.Pushed r -> new Line(null, EMPTY, null, null,
          new PushResult(r.tag(), r.digest().toString(), r.size()));
    };
  }

  /** jsonmessage.JSONProgress.String() for a 200-column stream: {@code [====>    ] 1.2MB/3.4MB}. */
  static String bar(long current, long total) {
    if (current <= 0 && total <= 0) {
      return "";
    }
    if (total <= 0) {
      return String.format("%8s", humanSize(current));
    }
    int pct = Math.min(BAR, (int) ((double) current / total * 100) / 2);
    String box = "[" + "=".repeat(pct) + ">" + " ".repeat(Math.max(0, BAR - pct)) + "] ";
    String numbers = current > total ? String.format("%8s", humanSize(current))
        : String.format("%8s/%s", humanSize(current), humanSize(total));
    return box + numbers;
  }

  /** go-units HumanSize: decimal units, four significant digits, no trailing zeros ({@code 1.235MB}). */
  static String humanSize(long bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1000 && unit < UNITS.length - 1) {
      size /= 1000;
      unit++;
    }
    BigDecimal d = new BigDecimal(size).round(new MathContext(4, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    return d.toPlainString() + UNITS[unit];
  }
}
