package dev.berth.server.stream;

import dev.berth.core.container.attach.StdioSession;
import java.io.IOException;

/**
 * Runs a hijacked stdio session (attach, exec start): output flows out on a virtual thread
 * while this thread copies the client's input in. The connection closes when the output ends,
 * or when the client types the detach keys.
 */
public final class StdioPump {

  private StdioPump() {}

  /**
   * Takes the connection over and pumps until the session ends.
   *
   * @param multiplexedMediaType whether the head names the multiplexed media type (API 1.42+
   *     without a TTY); framing itself follows the TTY, as clients expect
   * @return what the handler must throw to leave Helidon's HTTP loop
   */
  public static RuntimeException run(StdioSession session, boolean upgrade, boolean multiplexedMediaType)
      throws InterruptedException {
    return run(takeOver(upgrade, multiplexedMediaType), session);
  }

  /** Answers the client (101 or 200 and the stream's media type): the connection is ours from here. */
  public static HijackedConnection takeOver(boolean upgrade, boolean multiplexedMediaType) {
    return HijackedConnection.takeOver(upgrade,
        multiplexedMediaType ? HijackedConnection.MULTIPLEXED : HijackedConnection.RAW);
  }

  /** Pumps {@code session} over a connection already taken over, until the session ends. */
  public static RuntimeException run(HijackedConnection conn, StdioSession session) throws InterruptedException {
    var writer = new StdStreamWriter(conn.output(), !session.tty());
    Thread output = Thread.ofVirtual().start(() -> {
      try {
        session.copyOutput(writer::write);
      } catch (IOException e) {
        // the client went away
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        conn.close();
      }
    });
    try {
      if (session.copyInput(conn.input()) == StdioSession.InputEnd.DETACHED) {
        // The client leaves; closing the session ends the output side too.
        session.close();
      }
    } catch (IOException e) {
      // the client or the process went away; output decides when we are done
    }
    output.join();
    return conn.finished();
  }
}
