package dev.berth.server.stream;

import io.helidon.common.buffers.BufferData;
import io.helidon.common.buffers.DataReader;
import io.helidon.common.buffers.DataWriter;
import io.helidon.common.socket.HelidonSocket;
import io.helidon.common.socket.PeerInfo;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ListenerContext;
import io.helidon.webserver.ProxyProtocolData;
import io.helidon.webserver.Router;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * HTTP/1.0 for Helidon, which only speaks 1.1 (it answers 1.0 with 505). dockerd (Go's net/http)
 * serves a 1.0 request and closes the connection after it, so berth does too, with a small shim
 * between the socket and Helidon's HTTP/1.1 connection: the request line is given to Helidon as
 * HTTP/1.1 with {@code Connection: close} added (so the exchange ends the connection), and the
 * answer goes out as Go writes it to a 1.0 client: an {@code HTTP/1.0} status line and, for a
 * streamed body, no chunked framing (a 1.0 client does not know it): the body simply ends with the
 * connection. An informational (1xx) answer is not sent: a 1.0 client expects none.
 */
final class Http10Connection {

  /** Far above Helidon's own limit for a request line (2048), which then answers it. */
  private static final int MAX_LINE = 8192;
  private static final String VERSION = " HTTP/1.0";

  private Http10Connection() {}

  /**
   * Whether the connection's first request line (read without consuming it) names HTTP/1.0.
   *
   * @throws CloseConnectionException if the client went away before sending a line
   */
  static boolean speaks10(DataReader reader) {
    int eol;
    try {
      eol = reader.findNewLine(MAX_LINE);
    } catch (DataReader.IncorrectNewLineException e) {
      return false; // Helidon answers it
    } catch (DataReader.InsufficientDataAvailableException e) {
      throw new CloseConnectionException("no request", e);
    }
    if (eol >= MAX_LINE || eol < VERSION.length()) {
      return false;
    }
    return reader.getBuffer(eol).readString(eol, StandardCharsets.US_ASCII).endsWith(VERSION);
  }

  /** The connection as Helidon sees it after the shim: its request line rewritten, its answer too. */
  static ConnectionContext wrap(ConnectionContext ctx) {
    DataReader original = ctx.dataReader();
    int eol = original.findNewLine(MAX_LINE);
    String line = original.readAsciiString(eol);
    original.skip(2);
    byte[] head = (line.substring(0, line.length() - VERSION.length()) + " HTTP/1.1\r\nConnection: close\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    DataReader reader = DataReader.create(new java.util.function.Supplier<>() {
      private boolean first = true;

      @Override
      public byte[] get() {
        if (first) {
          first = false;
          return head;
        }
        try {
          BufferData next = original.readBuffer();
          byte[] bytes = new byte[next.available()];
          next.read(bytes);
          return bytes;
        } catch (DataReader.InsufficientDataAvailableException e) {
          return null;
        }
      }
    });
    return new Context(ctx, reader, new Writer(ctx.dataWriter()));
  }

  /**
   * Rewrites the answer: the status line to HTTP/1.0, chunked framing removed. One answer per
   * connection, since the request asked for the connection to close.
   */
  static final class Writer implements DataWriter {

    private enum State { HEAD, PASS, SIZE, DATA, DATA_END, TRAILER, DONE }

    private final DataWriter out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private State state = State.HEAD;
    private long remaining;

    Writer(DataWriter out) {
      this.out = out;
    }

    @Override
    public void write(BufferData... buffers) {
      for (BufferData b : buffers) {
        write(b);
      }
    }

    @Override
    public void write(BufferData buffer) {
      BufferData converted = convert(buffer);
      if (converted != null) {
        out.write(converted);
      }
    }

    @Override
    public void writeNow(BufferData... buffers) {
      for (BufferData b : buffers) {
        writeNow(b);
      }
    }

    @Override
    public void writeNow(BufferData buffer) {
      BufferData converted = convert(buffer);
      if (converted != null) {
        out.writeNow(converted);
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.close();
    }

    /** What goes to the client for these bytes; null when nothing does yet. */
    synchronized BufferData convert(BufferData buffer) {
      byte[] in = new byte[buffer.available()];
      buffer.read(in);
      var result = new ByteArrayOutputStream(in.length + 16);
      int i = 0;
      while (i < in.length) {
        switch (state) {
          case HEAD -> {
            pending.write(in[i++]);
            if (endsWithBlankLine(pending)) {
              head(pending.toString(StandardCharsets.ISO_8859_1), result);
              pending.reset();
            }
          }
          case PASS -> {
            result.write(in, i, in.length - i);
            i = in.length;
          }
          case SIZE, TRAILER -> {
            pending.write(in[i++]);
            if (endsWithNewLine(pending)) {
              String l = pending.toString(StandardCharsets.ISO_8859_1).strip();
              pending.reset();
              if (state == State.TRAILER) {
                state = l.isEmpty() ? State.DONE : State.TRAILER;
              } else {
                int semi = l.indexOf(';');
                remaining = Long.parseLong(semi < 0 ? l : l.substring(0, semi).strip(), 16);
                state = remaining == 0 ? State.TRAILER : State.DATA;
              }
            }
          }
          case DATA -> {
            int n = (int) Math.min(remaining, in.length - i);
            result.write(in, i, n);
            i += n;
            remaining -= n;
            if (remaining == 0) {
              state = State.DATA_END;
            }
          }
          case DATA_END -> {
            pending.write(in[i++]);
            if (endsWithNewLine(pending)) {
              pending.reset();
              state = State.SIZE;
            }
          }
          case DONE -> i = in.length;
        }
      }
      return result.size() == 0 ? null : BufferData.create(result.toByteArray());
    }

    private void head(String head, ByteArrayOutputStream result) {
      if (head.startsWith("HTTP/1.1 1")) {
        return; // 100 Continue and the like: not for a 1.0 client
      }
      var sb = new StringBuilder(head.length());
      boolean chunked = false;
      for (String line : head.split("\r\n", -1)) {
        if (line.toLowerCase(Locale.ROOT).replace(" ", "").equals("transfer-encoding:chunked")) {
          chunked = true;
          continue;
        }
        if (sb.isEmpty() && line.startsWith("HTTP/1.1 ")) {
          line = "HTTP/1.0 " + line.substring("HTTP/1.1 ".length());
        }
        sb.append(line).append("\r\n");
      }
      // split gives two empty strings after the final CRLFCRLF: one too many line endings
      sb.setLength(sb.length() - 2);
      result.writeBytes(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      state = chunked ? State.SIZE : State.PASS;
    }

    private static boolean endsWithBlankLine(ByteArrayOutputStream b) {
      byte[] a = b.toByteArray();
      int n = a.length;
      return n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n';
    }

    private static boolean endsWithNewLine(ByteArrayOutputStream b) {
      byte[] a = b.toByteArray();
      return a.length >= 1 && a[a.length - 1] == '\n';
    }
  }

  /** The connection's context with the shim's reader and writer. */
  private record Context(ConnectionContext ctx, DataReader dataReader, DataWriter dataWriter)
      implements ConnectionContext {

    @Override
    public ListenerContext listenerContext() {
      return ctx.listenerContext();
    }

    @Override
    public ExecutorService executor() {
      return ctx.executor();
    }

    @Override
    public Router router() {
      return ctx.router();
    }

    @Override
    public Optional<ProxyProtocolData> proxyProtocolData() {
      return ctx.proxyProtocolData();
    }

    @Override
    public HelidonSocket serverSocket() {
      return ctx.serverSocket();
    }

    @Override
    public PeerInfo remotePeer() {
      return ctx.remotePeer();
    }

    @Override
    public PeerInfo localPeer() {
      return ctx.localPeer();
    }

    @Override
    public boolean isSecure() {
      return ctx.isSecure();
    }

    @Override
    public String socketId() {
      return ctx.socketId();
    }

    @Override
    public String childSocketId() {
      return ctx.childSocketId();
    }
  }
}
