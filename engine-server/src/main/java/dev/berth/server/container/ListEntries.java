package dev.berth.server.container;

import dev.berth.core.container.model.Container;
import dev.berth.server.api.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The container list's entries as written JSON, kept from one list to the next: writing them is
 * nearly all of a list's time (2000 containers, 1.5 MB, took ~15 ms of Jackson under C1), and
 * most of them are the same on every call. An entry is written again when its container is not
 * the same instance as before (the store hands out the same {@link Container} until its row
 * changes), or its status text (it moves with the clock) or link names changed. Only the entries
 * the latest list used are kept, so a removed container, or one a filter left out, drops out.
 * Lists with sizes are written whole, as their sizes are read afresh each time. A list goes out
 * entry by entry behind its length: assembling 2000 entries (2.4 MB) in one array took three
 * arrays of megabytes per list, too big for the young generation, and a client polling the list
 * grew the heap by that much per call until a full collection.
 */
final class ListEntries {

  private record Entry(Container container, String status, List<String> linkNames, byte[] json) {}

  private final AtomicReference<Map<String, Entry>> latest = new AtomicReference<>(Map.of());

  /** A list's JSON array: the entries, written one after the other without a copy of the whole. */
  record Listing(List<byte[]> entries, int length) {

    void writeTo(OutputStream out) throws IOException {
      out.write('[');
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.write(',');
        }
        out.write(entries.get(i));
      }
      out.write(']');
    }
  }

  /**
   * The JSON array of {@code containers}' summaries, in order.
   *
   * @param status a container's status text (the list's {@code Status})
   * @param linkNames the link names a container also goes by
   */
  Listing write(List<Container> containers, Function<Container, String> status,
      Function<Container, List<String>> linkNames) {
    Map<String, Entry> before = latest.get();
    var used = new HashMap<String, Entry>(containers.size() * 2);
    var json = new ArrayList<byte[]>(containers.size());
    int length = 2 + Math.max(0, containers.size() - 1);
    for (Container c : containers) {
      String id = c.id().hex();
      String text = status.apply(c);
      List<String> links = linkNames.apply(c);
      Entry e = before.get(id);
      if (e == null || e.container() != c || !e.status().equals(text) || !e.linkNames().equals(links)) {
        e = new Entry(c, text, links, Json.bytes(ContainerTranslator.summary(c, text, null, links)));
      }
      used.put(id, e);
      json.add(e.json());
      length += e.json().length;
    }
    latest.set(used);
    return new Listing(json, length);
  }
}
