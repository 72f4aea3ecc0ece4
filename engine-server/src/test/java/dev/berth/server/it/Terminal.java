package dev.berth.server.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A docker CLI run in a real terminal: a tmux session of its own, typed into with send-keys and
 * read with capture-pane, for what needs a TTY (run -it, attach, detach keys).
 */
final class Terminal implements AutoCloseable {

  private final String session;
  private final Path socket;

  private Terminal(String session, Path socket) {
    this.session = session;
    this.socket = socket;
  }

  /** Starts {@code docker args...} in a fresh 100x30 tmux session against {@code daemon}. */
  static Terminal start(BerthDaemon daemon, String name, String... args) {
    var t = new Terminal("berth-" + name + "-" + ProcessHandle.current().pid(), daemon.dir.resolve("tmux.sock"));
    var cmd = new ArrayList<>(List.of("env", "DOCKER_HOST=unix://" + daemon.socket,
        "DOCKER_CONFIG=" + daemon.dir.resolve("docker-config"), "docker"));
    cmd.addAll(List.of(args));
    var tmux = new ArrayList<>(List.of("new-session", "-d", "-s", t.session, "-x", "100", "-y", "30"));
    // The exit status shows on the screen when the CLI ends; the pane stays for reading.
    tmux.add(String.join(" ", cmd.stream().map(Terminal::quote).toList()) + "; echo cli-exit-$?; sleep 600");
    t.tmux(tmux.toArray(String[]::new));
    return t;
  }

  /** Types text (tmux key names such as C-p or Enter are sent as keys). */
  void keys(String... keys) {
    var args = new ArrayList<>(List.of("send-keys", "-t", session));
    args.addAll(List.of(keys));
    tmux(args.toArray(String[]::new));
  }

  String screen() {
    return tmux("capture-pane", "-p", "-t", session);
  }

  void awaitScreen(String what, Duration timeout) {
    Poll.until("\"" + what + "\" on the terminal", timeout, () -> screen().contains(what));
  }

  private String tmux(String... args) {
    var cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new AssertionError("tmux " + String.join(" ", args) + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  public void close() {
    try {
      tmux("kill-session", "-t", session);
    } catch (AssertionError e) {
      // already gone
    }
  }
}
