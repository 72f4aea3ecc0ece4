package dev.berth.core.events;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Events, published by the services and followed by {@code GET /events}. Keeps the latest ones
 * so {@code since} can replay them, as dockerd keeps an in-memory log of its own.
 *
 * <p>Publishing never waits for a follower. Each follower may fall {@link #BACKLOG} events behind
 * (beyond those replayed for it); one that falls further is ended: its queue is emptied and its
 * end hook runs. dockerd keeps such a follower and skips events for it after a 100 ms wait per
 * event, which stalls every publisher and leaves the client unaware of the gap; here a client
 * sees every event up to the moment it fell behind, then the end of its stream.
 */
public final class EventBus {

  static final int HISTORY = 1024;
  /** dockerd's per-subscriber channel buffer. */
  public static final int BACKLOG = 1024;

  private final Clock clock;
  private final Deque<EngineEvent> history = new ArrayDeque<>();
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();

  public EventBus(Clock clock) {
    this.clock = clock;
  }

  public void publish(EngineEvent.Type type, String action, String actorId, Map<String, String> attributes) {
    var e = new EngineEvent(type, action, actorId, attributes, clock.instant());
    var behind = new ArrayList<Subscription>();
    synchronized (history) {
      history.addLast(e);
      if (history.size() > HISTORY) {
        history.removeFirst();
      }
      // Under the same lock as the history, so a subscriber never misses or doubles an event.
      for (Subscription s : subscribers) {
        if (!s.offer(e)) {
          subscribers.remove(s);
          behind.add(s);
        }
      }
    }
    // Outside the lock: an end hook may close a socket.
    behind.forEach(Subscription::end);
  }

  /** A follower of every event: those since {@code since} (may be null) first, then new ones. */
  public Subscription subscribe(Instant since) {
    return subscribe(since, e -> true);
  }

  /**
   * A follower of the events {@code filter} accepts, as dockerd's topic: the others neither reach
   * its queue nor count against its backlog.
   */
  public Subscription subscribe(Instant since, Predicate<EngineEvent> filter) {
    synchronized (history) {
      var replay = new ArrayList<EngineEvent>();
      if (since != null) {
        for (EngineEvent e : history) {
          if (!e.time().isBefore(since) && filter.test(e)) {
            replay.add(e);
          }
        }
      }
      var s = new Subscription(filter, replay.size() + BACKLOG);
      replay.forEach(s::offer);
      subscribers.add(s);
      return s;
    }
  }

  int followers() {
    return subscribers.size();
  }

  /** One follower's bounded queue of events; close it when the client goes away. */
  public final class Subscription implements AutoCloseable {
    private final Predicate<EngineEvent> filter;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Deque<EngineEvent> queue = new ArrayDeque<>();
    private final List<Runnable> onEnd = new ArrayList<>();
    private boolean ended;

    private Subscription(Predicate<EngineEvent> filter, int capacity) {
      this.filter = filter;
      this.capacity = capacity;
    }

    /** False if the queue is full: this follower has fallen too far behind. */
    private boolean offer(EngineEvent e) {
      if (!filter.test(e)) {
        return true;
      }
      lock.lock();
      try {
        if (queue.size() >= capacity) {
          return false;
        }
        queue.addLast(e);
        arrived.signal();
        return true;
      } finally {
        lock.unlock();
      }
    }

    /** The next event; null if none comes within {@code millis} or once the subscription has ended. */
    public EngineEvent next(long millis) throws InterruptedException {
      long left = TimeUnit.MILLISECONDS.toNanos(millis);
      lock.lock();
      try {
        while (queue.isEmpty() && !ended) {
          if (left <= 0) {
            return null;
          }
          left = arrived.awaitNanos(left);
        }
        return ended ? null : queue.pollFirst();
      } finally {
        lock.unlock();
      }
    }

    /** True once this follower fell {@link #BACKLOG} events behind and was dropped. */
    public boolean ended() {
      lock.lock();
      try {
        return ended;
      } finally {
        lock.unlock();
      }
    }

    /**
     * Runs {@code hook} when this follower is dropped (at once if it already was), on the
     * publisher's thread: it must not block. Closing the client's connection here ends a handler
     * stuck writing to a client that stopped reading.
     */
    public void onEnd(Runnable hook) {
      lock.lock();
      try {
        if (!ended) {
          onEnd.add(hook);
          return;
        }
      } finally {
        lock.unlock();
      }
      hook.run();
    }

    int pending() {
      lock.lock();
      try {
        return queue.size();
      } finally {
        lock.unlock();
      }
    }

    private void end() {
      List<Runnable> hooks;
      lock.lock();
      try {
        ended = true;
        queue.clear();
        arrived.signalAll();
        hooks = List.copyOf(onEnd);
        onEnd.clear();
      } finally {
        lock.unlock();
      }
      for (Runnable hook : hooks) {
        try {
          hook.run();
        } catch (RuntimeException e) {
          // The follower is gone either way; the publisher must not fail for it.
        }
      }
    }

    @Override
    public void close() {
      subscribers.remove(this);
    }
  }
}
