package dev.berth.core.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Events, published by the services and followed by {@code GET /events}. Keeps the latest ones
 * so {@code since} can replay them, as dockerd keeps an in-memory log of its own.
 */
public final class EventBus {

  static final int HISTORY = 1024;

  private final Clock clock;
  private final Deque<EngineEvent> history = new ArrayDeque<>();
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();

  public EventBus(Clock clock) {
    this.clock = clock;
  }

  public void publish(EngineEvent.Type type, String action, String actorId, Map<String, String> attributes) {
    var e = new EngineEvent(type, action, actorId, attributes, clock.instant());
    synchronized (history) {
      history.addLast(e);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
      // Under the same lock as the history, so a subscriber never misses or doubles an event.
      for (Subscription s : subscribers) {
        s.queue.offer(e);
      }
    }
  }

  /** A follower: the events since {@code since} (may be null) first, then new ones as they come. */
  public Subscription subscribe(Instant since) {
    var s = new Subscription();
    synchronized (history) {
      if (since != null) {
        for (EngineEvent e : history) {
          if (!e.time().isBefore(since)) {
            s.queue.offer(e);
          }
        }
      }
      subscribers.add(s);
    }
    return s;
  }

  /** One follower's queue of events; close it when the client goes away. */
  public final class Subscription implements AutoCloseable {
    private final BlockingQueue<EngineEvent> queue = new LinkedBlockingQueue<>();

    /** The next event, or null if none comes within {@code millis}. */
    public EngineEvent next(long millis) throws InterruptedException {
      return queue.poll(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }
}
