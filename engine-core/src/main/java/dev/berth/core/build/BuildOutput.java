package dev.berth.core.build;

import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;

/**
 * Where a build reports, as dockerd's classic builder writes its JSON stream. A write that fails
 * (the client went away) throws, and the build stops there, removing its step container.
 */
public interface BuildOutput {

  /** Text for the client's terminal: a {@code {"stream": ...}} message. */
  void stream(String text);

  /**
   * Text as dockerd's stderr writer sends it (a RUN's stderr, the parser's warnings): each write
   * its own message, in the terminal's bright red ({@code ESC[91m ... ESC[0m}).
   */
  static String stderr(String text) {
    return "\u001b[91m" + text + "\u001b[0m";
  }

  /** A stage's image: {@code {"aux":{"ID":"sha256:..."}}}, which clients read the result from. */
  void aux(ImageId id);

  /**
   * Pulls a base image the engine lacks (or, with {@code pull}, every base image), showing the
   * pull's progress in the stream.
   */
  void pull(ImageReference ref);

  /**
   * Called every second while a RUN step is quiet: sends the client nothing it would show (JSON
   * whitespace), and throws once the client is gone, so that the step's container is removed
   * (dockerd notices through the request's context; berth's only sign is a write that fails).
   */
  void heartbeat();
}
