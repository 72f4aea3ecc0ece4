package dev.berth.server.system;

import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.Filters;
import dev.berth.server.api.Json;
import dev.berth.server.api.WireTime;
import dev.berth.server.stream.HijackedConnection;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /events}: replays events since {@code since}, then follows until {@code until} or the
 * client leaves. The 200 goes out at once on the raw connection: the CLI (and {@code docker
 * stats}) block until its headers arrive.
 */
public final class EventHandlers {

  private static final Set<String> FILTERS = Set.of("container", "event", "image", "label", "type", "volume",
      "network", "daemon", "plugin", "node", "service", "secret", "config", "scope");
  private static final long POLL_MILLIS = 500;
  private static final System.Logger LOG = System.getLogger(EventHandlers.class.getName());

  private final EventBus bus;
  private final Clock clock;

  public EventHandlers(EventBus bus, Clock clock) {
    this.bus = bus;
    this.clock = clock;
  }

  public static void routes(ApiRoutes.Operations<EventHandlers> r) {
    r.get("/events", EventHandlers::systemEvents);
  }

  private void systemEvents(ApiRequest req, ServerResponse res) throws Exception {
    Filters filters = req.filters().only(FILTERS);
    Instant since = WireTime.parseUnix(req.query("since").orElse(""));
    Instant until = WireTime.parseUnix(req.query("until").orElse(""));
    try (EventBus.Subscription sub = bus.subscribe(since, e -> matches(filters, e))) {
      var conn = HijackedConnection.takeOver(false, "application/json");
      // A client that stopped reading leaves this thread blocked in a write: closing its
      // connection when the bus drops it ends the write, and the handler with it.
      sub.onEnd(conn::close);
      var gone = new java.util.concurrent.atomic.AtomicBoolean();
      Thread.ofVirtual().start(() -> {
        // The client never sends more; end of its input means it has gone.
        try (InputStream in = conn.input()) {
          while (in.read(new byte[256]) >= 0) {
            // ignore
          }
        } catch (IOException | RuntimeException e) {
          // gone either way
        }
        gone.set(true);
      });
      try {
        while (!gone.get() && !sub.ended()) {
          // Replayed events are queued already; once none is left, an until in the past ends it.
          long left = until == null ? POLL_MILLIS : Math.max(0, until.toEpochMilli() - clock.millis());
          EngineEvent e = sub.next(Math.min(POLL_MILLIS, left));
          if (e == null) {
            if (until != null && !clock.instant().isBefore(until)) {
              break;
            }
            continue;
          }
          if (until != null && e.time().isAfter(until)) {
            break;
          }
          conn.output().write(Json.bytes(json(e)));
          conn.output().write('\n');
        }
      } catch (IOException e) {
        // the client went away
      }
      if (sub.ended()) {
        LOG.log(System.Logger.Level.WARNING, "events follower dropped: it fell " + EventBus.BACKLOG
            + " events behind");
      }
      throw conn.finished();
    }
  }

  /** dockerd's event filters: values of a key are alternatives, keys combine. */
  static boolean matches(Filters f, EngineEvent e) {
    Map<String, String> a = e.attributes();
    return any(f, "type", v -> v.equals(e.type().wire()))
        && any(f, "event", v -> e.action().equals(v) || e.action().startsWith(v + ":"))
        && any(f, "container", v -> e.type() == EngineEvent.Type.CONTAINER
            && (e.actorId().startsWith(v) || v.equals(a.get("name"))))
        && any(f, "image", v -> v.equals(a.get("image")) || e.type() == EngineEvent.Type.IMAGE
            && (e.actorId().equals(v) || e.actorId().startsWith(v + ":") || v.equals(a.get("name"))))
        && any(f, "volume", v -> e.type() == EngineEvent.Type.VOLUME && e.actorId().equals(v))
        && any(f, "network", v -> e.type() == EngineEvent.Type.NETWORK
            && (e.actorId().startsWith(v) || v.equals(a.get("name"))))
        && f.get("label").stream().allMatch(l -> {
          int eq = l.indexOf('=');
          return eq < 0 ? a.containsKey(l) : l.substring(eq + 1).equals(a.get(l.substring(0, eq)));
        });
  }

  private static boolean any(Filters f, String key, java.util.function.Predicate<String> p) {
    var values = f.get(key);
    return values.isEmpty() || values.stream().anyMatch(p);
  }

  /** Docker's event JSON; container and image events keep the deprecated status/id/from keys compose reads. */
  static SystemJson.EventMessage json(EngineEvent e) {
    boolean legacy = e.type() == EngineEvent.Type.CONTAINER || e.type() == EngineEvent.Type.IMAGE;
    String from = e.type() == EngineEvent.Type.CONTAINER ? e.attributes().get("image") : null;
    return new SystemJson.EventMessage(legacy ? e.action() : null, legacy ? e.actorId() : null, from, e.type().wire(),
        e.action(), new SystemJson.EventActor(e.actorId(), e.attributes()), "local", e.time().getEpochSecond(),
        e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
  }
}
