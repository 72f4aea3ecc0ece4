package dev.berth.core.runtime;

import dev.berth.core.logs.StdStream;
import dev.berth.core.os.Fd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.newsclub.net.unix.AFSocketType;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * A connection to conmon's attach socket (SOCK_SEQPACKET). Each packet from conmon is one read of
 * the container's stdout or stderr: a stream byte (2 or 3) and up to 8192 bytes. What we send is
 * raw stdin. conmon drains the container's output to every client before it closes the
 * connections, so end of stream here comes after the last byte the container wrote.
 */
final class ConmonAttachChannel implements AttachChannel {

  // conmon's pipe numbers; with a TTY everything arrives as stdout.
  private static final int STDERR_PIPE = 3;
  // conmon reads up to CONN_SOCK_BUF_SIZE - 1 bytes of one packet and drops the rest: stay well below.
  private static final int MAX_STDIN_PACKET = 8192;
  private static final int MAX_OUTPUT_PACKET = 8192 + 1;

  private final AFUNIXDatagramChannel channel;
  private final ByteBuffer in = ByteBuffer.allocate(MAX_OUTPUT_PACKET + 1);

  private ConmonAttachChannel(AFUNIXDatagramChannel channel) {
    this.channel = channel;
  }

  /** Initialises junixsocket's provider (its native library and address families, ~35 ms cold). */
  static void load() {
    AFUNIXSelectorProvider.provider();
  }

  static ConmonAttachChannel connect(Path socket) throws IOException {
    var channel = (AFUNIXDatagramChannel) AFUNIXSelectorProvider.provider().openDatagramChannel(AFSocketType.SOCK_SEQPACKET);
    try {
      channel.connect(AFUNIXSocketAddress.of(socket));
      return new ConmonAttachChannel(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  @Override
  public Chunk read() throws IOException {
    while (true) {
      synchronized (in) {
        in.clear();
        int n = channel.read(in);
        if (n <= 0) {
          return null;
        }
        byte kind = in.get(0);
        if (n == 1) {
          continue;
        }
        byte[] data = Arrays.copyOfRange(in.array(), 1, n);
        return new Chunk(kind == STDERR_PIPE ? StdStream.STDERR : StdStream.STDOUT, data);
      }
    }
  }

  @Override
  public void writeStdin(byte[] data, int offset, int length) throws IOException {
    // One packet per write, each small enough for conmon to take whole.
    for (int pos = offset; pos < offset + length; pos += MAX_STDIN_PACKET) {
      int n = Math.min(MAX_STDIN_PACKET, offset + length - pos);
      var packet = ByteBuffer.wrap(data, pos, n);
      while (packet.hasRemaining()) {
        channel.write(packet);
      }
    }
  }

  /**
   * Half-closes the connection. conmon sees end of input from this client and, for a container
   * created stdin-once, closes the container's stdin; output keeps coming.
   */
  @Override
  public void closeStdin() throws IOException {
    int fd = FileDescriptorCast.using(channel.getFileDescriptor()).as(Integer.class);
    Fd.shutdownWrite(fd);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
