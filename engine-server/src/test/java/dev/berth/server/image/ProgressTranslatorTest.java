package dev.berth.server.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.image.Digest;
import dev.berth.core.image.distribution.Progress;
import dev.berth.server.api.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTranslatorTest {

  private static String json(Progress p) {
    return new String(Json.bytes(ProgressTranslator.line(p)), StandardCharsets.UTF_8);
  }

  @Test
  void linesLookLikeDockerds() {
    assertEquals("{\"status\":\"Pulling from library/busybox\",\"id\":\"latest\"}",
        json(new Progress.Message("latest", "Pulling from library/busybox")));
    assertEquals("{\"status\":\"Status: Image is up to date for busybox:latest\"}",
        json(new Progress.Message(null, "Status: Image is up to date for busybox:latest")));
    assertEquals("{\"status\":\"Pulling fs layer\",\"progressDetail\":{},\"id\":\"a3ed95caeb02\"}",
        json(new Progress.LayerStatus("a3ed95caeb02", "Pulling fs layer")));
    assertEquals("{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1048576,\"total\":2097152},"
        + "\"progress\":\"[=========================>                         ]  1.049MB/2.097MB\","
        + "\"id\":\"a3ed95caeb02\"}", json(new Progress.Transfer("a3ed95caeb02", "Downloading", 1048576, 2097152)));
    Digest d = Digest.of(new byte[0]);
    assertEquals("{\"progressDetail\":{},\"aux\":{\"Tag\":\"latest\",\"Digest\":\"" + d + "\",\"Size\":527}}",
        json(new Progress.Pushed("latest", d, 527)));
  }

  @Test
  void humanSizesAreGoUnits() {
    assertEquals("0B", ProgressTranslator.humanSize(0));
    assertEquals("527B", ProgressTranslator.humanSize(527));
    assertEquals("1kB", ProgressTranslator.humanSize(1000));
    assertEquals("1.235MB", ProgressTranslator.humanSize(1234567));
    assertEquals("50MB", ProgressTranslator.humanSize(50_000_000));
    assertEquals("999.5kB", ProgressTranslator.humanSize(999_500));
  }

  @Test
  void barsWithoutTotalOrBeyondIt() {
    assertEquals("", ProgressTranslator.bar(0, 0));
    assertEquals("   1.5kB", ProgressTranslator.bar(1500, 0));
    assertEquals("[==================================================>]    2.5kB", ProgressTranslator.bar(2500, 2000));
    assertEquals("[==================================================>]      2kB/2kB", ProgressTranslator.bar(2000, 2000));
  }
}
