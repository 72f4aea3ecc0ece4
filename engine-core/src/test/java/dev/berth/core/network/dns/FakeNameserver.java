package dev.berth.core.network.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/**
 * An upstream nameserver on 127.0.0.1 and a port of the kernel's choosing, so the tests never send
 * a packet off this machine. It answers every A query with {@link #ADDRESS}, or, given a
 * {@code mangle}, whatever that makes of the answer (null: stay silent).
 */
final class FakeNameserver implements AutoCloseable {

  static final String ADDRESS = "192.0.2.53";

  private final DatagramChannel channel;
  private final UnaryOperator<Message> mangle;
  private final AtomicInteger queries = new AtomicInteger();
  private final Thread thread;

  FakeNameserver(UnaryOperator<Message> mangle) throws IOException {
    this.channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.mangle = mangle;
    this.thread = Thread.ofVirtual().name("fake-nameserver").start(this::serve);
  }

  FakeNameserver() throws IOException {
    this(UnaryOperator.identity());
  }

  InetSocketAddress address() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  int queries() {
    return queries.get();
  }

  private void serve() {
    ByteBuffer buf = ByteBuffer.allocate(65_535);
    while (true) {
      try {
        buf.clear();
        SocketAddress client = channel.receive(buf);
        queries.incrementAndGet();
        Message query = new Message(Arrays.copyOf(buf.array(), buf.position()));
        Message answer = query.clone();
        answer.getHeader().setFlag(Flags.QR);
        answer.getHeader().setFlag(Flags.RA);
        answer.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 30, InetAddress.getByName(ADDRESS)),
            Section.ANSWER);
        Message sent = mangle.apply(answer);
        if (sent != null) {
          channel.send(ByteBuffer.wrap(sent.toWire()), client);
        }
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        // A query this fake cannot read: ignore it, as a real server would.
      }
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
    try {
      if (!thread.join(Duration.ofSeconds(5))) {
        throw new IOException("fake nameserver did not stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
