package dev.berth.server.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.core.image.ImageDeletion;
import dev.berth.server.api.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageJsonTest {

  private static final String ID = "sha256:" + "b".repeat(64);

  @Test
  void eachDeletionItemCarriesOnlyItsOwnKey() {
    var items = List.of(ImageTranslator.deletion(new ImageDeletion.Untagged("busybox:latest")),
        ImageTranslator.deletion(new ImageDeletion.Deleted(ID)));
    assertEquals("[{\"Untagged\":\"busybox:latest\"},{\"Deleted\":\"" + ID + "\"}]", text(items));
    assertEquals("{\"ImagesDeleted\":[{\"Deleted\":\"" + ID + "\"}],\"SpaceReclaimed\":42}",
        text(new ImageJson.PruneResponse(List.of(items.get(1)), 42)));
    assertEquals("{\"ImagesDeleted\":null,\"SpaceReclaimed\":0}", text(new ImageJson.PruneResponse(null, 0)));
  }

  private static String text(Object value) {
    return new String(Json.bytes(value), StandardCharsets.UTF_8);
  }
}
