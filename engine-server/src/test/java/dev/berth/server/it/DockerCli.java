package dev.berth.server.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real docker CLI, pointed at one berthd through DOCKER_HOST, with its own config dir. */
final class DockerCli {

  /** What a command did. */
  record Result(int exit, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    /** The output with surrounding whitespace trimmed, for one-line answers. */
    String line() {
      return out().strip();
    }

    Result ok() {
      if (exit != 0) {
        throw new AssertionError("docker exited " + exit + "\nstdout: " + out() + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final Path socket;
  private final Path configDir;

  DockerCli(Path socket, Path configDir) {
    this.socket = socket;
    this.configDir = configDir;
  }

  Result run(String... args) {
    return run(null, DEFAULT_TIMEOUT, args);
  }

  Result withInput(byte[] stdin, String... args) {
    return run(stdin, DEFAULT_TIMEOUT, args);
  }

  Result run(byte[] stdin, Duration timeout, String... args) {
    return finish(start(List.of("docker"), null, stdin != null, null, args), stdin, timeout, args);
  }

  /** The docker CLI in {@code dir} with the classic builder ({@code DOCKER_BUILDKIT=0}), for docker build. */
  Result inDir(Path dir, byte[] stdin, String... args) {
    return finish(start(List.of("docker"), dir, stdin != null, null, args), stdin, Duration.ofSeconds(120), args);
  }

  /** docker-compose (Debian's 1.29, on docker-py) in {@code projectDir}, against the same daemon. */
  Result compose(Path projectDir, String... args) {
    return finish(start(List.of("docker-compose"), projectDir, false, null, args), null, DEFAULT_TIMEOUT, args);
  }

  private Result finish(Process p, byte[] stdin, Duration timeout, String... args) {
    try {
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin);
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("docker " + String.join(" ", args) + " did not finish in " + timeout);
      }
      return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Starts a command with its stdout going to {@code out}, for watching a stream as it grows. */
  Process startTo(Path out, String... args) {
    return start(false, out, args);
  }

  /** Starts a command and leaves it running, for follows and attaches. */
  Process start(boolean stdin, String... args) {
    return start(stdin, null, args);
  }

  private Process start(boolean stdin, Path out, String... args) {
    return start(List.of("docker"), null, stdin, out, args);
  }

  private Process start(List<String> program, Path workDir, boolean stdin, Path out, String... args) {
    var cmd = new ArrayList<String>(program);
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    pb.environment().put("DOCKER_HOST", "unix://" + socket);
    pb.environment().put("DOCKER_CONFIG", configDir.toString());
    pb.environment().remove("DOCKER_API_VERSION");
    pb.environment().remove("DOCKER_CONTEXT");
    // berth has no BuildKit: docker build (and compose's, which runs it) uses the classic builder.
    pb.environment().put("DOCKER_BUILDKIT", "0");
    if (!stdin) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    if (out != null) {
      pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run the docker CLI", e);
    }
  }

  static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        var buf = new ByteArrayOutputStream();
        in.transferTo(buf);
        return buf.toByteArray();
      } catch (IOException e) {
        return new byte[0];
      }
    }, r -> Thread.ofVirtual().start(r));
  }
}
