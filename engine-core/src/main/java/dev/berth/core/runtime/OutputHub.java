package dev.berth.core.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One connection to a container's conmon shared by every client attached without stdin. conmon
 * closes a stdin-once container's stdin when any of its attach connections goes away; Docker
 * closes it only when a client attached to stdin ends its input. So a client without stdin never
 * gets a connection of its own: the hub holds one until the container's output ends, and gives
 * each such client a copy of what comes through it.
 */
final class OutputHub {

  private final ConmonAttachChannel conmon;
  private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
  private volatile boolean ended;

  private OutputHub(ConmonAttachChannel conmon) {
    this.conmon = conmon;
  }

  /** Connects to conmon's attach socket and starts fanning out; {@code onEnd} runs when output ends. */
  static OutputHub connect(Path socket, Runnable onEnd) throws IOException {
    var hub = new OutputHub(ConmonAttachChannel.connect(socket));
    Thread.ofVirtual().name("attach-hub").start(() -> hub.fanOut(onEnd));
    return hub;
  }

  /** A client's channel, or empty if the output has already ended (the hub is done with). */
  java.util.Optional<AttachChannel> subscribe() {
    var subscriber = new Subscriber();
    subscribers.add(subscriber);
    if (ended) {
      subscribers.remove(subscriber);
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(subscriber);
  }

  /** Disconnects from conmon (engine shut-down); every client sees the end of output. */
  void close() {
    try {
      conmon.close();
    } catch (IOException e) {
      // Closing a socket: nothing to flush.
    }
  }

  private void fanOut(Runnable onEnd) {
    try {
      AttachChannel.Chunk chunk;
      while ((chunk = conmon.read()) != null) {
        for (Subscriber s : subscribers) {
          s.output.deliver(chunk);
        }
      }
    } catch (IOException e) {
      // The connection broke (container gone, or closed by us): end of output either way.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ended = true;
      close();
      subscribers.forEach(s -> s.output.end());
      onEnd.run();
    }
  }

  private final class Subscriber implements AttachChannel {
    private final OutputQueue output = new OutputQueue();

    @Override
    public Chunk read() throws IOException {
      return output.read();
    }

    @Override
    public void writeStdin(byte[] data, int offset, int length) {
      throw new IllegalStateException("attached without stdin");
    }

    @Override
    public void closeStdin() {
      // It has none.
    }

    @Override
    public void close() {
      subscribers.remove(this);
      output.close();
    }
  }
}
