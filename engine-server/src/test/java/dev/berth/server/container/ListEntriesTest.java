package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.container.model.HostConfig;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageId;
import dev.berth.server.api.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListEntriesTest {

  private static final ImageId IMAGE = new ImageId(Digest.of("image".getBytes(StandardCharsets.UTF_8)));
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private final ListEntries entries = new ListEntries();

  @Test
  void theListIsWhatJacksonWritesForTheSummaries() throws Exception {
    Container web = container("web", ContainerState.Created.FRESH);
    Container db = container("db", new ContainerState.Exited(2, NOW.minusSeconds(900), NOW.minusSeconds(600), "",
        false, false));
    var links = Map.of(db.id(), List.of("/web/db"));

    byte[] written = write(List.of(web, db), links, NOW);

    var expected = List.of(ContainerTranslator.summary(web, NOW, null, null, List.of()),
        ContainerTranslator.summary(db, NOW, null, null, List.of("/web/db")));
    assertEquals(Json.MAPPER.readTree(Json.bytes(expected)), Json.MAPPER.readTree(written));
    assertEquals("[]", new String(write(List.of(), Map.of(), NOW), StandardCharsets.UTF_8));
  }

  @Test
  void anEntryFollowsItsContainerItsStatusAndItsLinks() throws Exception {
    Container web = container("web", new ContainerState.Exited(0, NOW.minusSeconds(900), NOW.minusSeconds(600), "",
        false, false));
    assertEquals("Exited (0) 10 minutes ago", list(List.of(web), Map.of(), NOW).at("/0/Status").asText());

    assertEquals("Exited (0) 11 minutes ago", list(List.of(web), Map.of(), NOW.plusSeconds(60)).at("/0/Status")
        .asText(), "the clock moved");
    assertEquals("/web/db", list(List.of(web), Map.of(web.id(), List.of("/web/db")), NOW.plusSeconds(60))
        .at("/0/Names/1").asText(), "a link came");
    Container renamed = new Container(web.id(), new ContainerName("site"), web.created(), web.imageId(), web.config(),
        web.hostConfig(), web.state(), web.restartCount());
    assertEquals("/site", list(List.of(renamed), Map.of(), NOW.plusSeconds(60)).at("/0/Names/0").asText(),
        "another record of the container");
  }

  private JsonNode list(List<Container> containers, Map<ContainerId, List<String>> links, Instant now)
      throws Exception {
    return Json.MAPPER.readTree(write(containers, links, now));
  }

  private byte[] write(List<Container> containers, Map<ContainerId, List<String>> links, Instant now)
      throws IOException {
    ListEntries.Listing listing = entries.write(containers, c -> ContainerTranslator.summaryStatus(c, now, null),
        c -> links.getOrDefault(c.id(), List.of()));
    var out = new ByteArrayOutputStream();
    listing.writeTo(out);
    assertEquals(listing.length(), out.size(), "the length the answer is sent with");
    return out.toByteArray();
  }

  private static Container container(String name, ContainerState state) {
    var config = new ContainerConfig("busybox", List.of("sh", "-c"), List.of("echo hi"), List.of("PATH=/bin"), "/w",
        "", "abcdef012345", "", Map.of("k", "v"), false, false, false, false, true, true, "", null, null, null, null,
        null, null, false);
    return new Container(ContainerId.random(), new ContainerName(name), NOW.minusSeconds(3600), IMAGE, config,
        HostConfig.DEFAULT, state, 0);
  }
}
