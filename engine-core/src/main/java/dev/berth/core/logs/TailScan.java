package dev.berth.core.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Finds where the last N lines of a k8s-file log begin by reading backwards in blocks, so a tail
 * of a huge log costs what the tail is, not what the file is. A line is one F record or a run of P
 * records together with the F record that completes it; P records at the very end (the container
 * is in the middle of a line) count as one line.
 */
final class TailScan {

  private static final int BLOCK = 64 * 1024;
  private static final int HEAD = 80;

  private TailScan() {}

  static long startOfLastLines(FileChannel channel, int lines) throws IOException {
    return startOfLastLines(channel, 0, channel.size(), lines);
  }

  /** Where the last {@code lines} lines of the records in {@code [floor, end)} begin ({@code floor} starts a record). */
  static long startOfLastLines(FileChannel channel, long floor, long end, int lines) throws IOException {
    long recordsEnd = lastNewline(channel, floor, end);
    if (lines == 0 || recordsEnd <= floor) {
      // Nothing complete yet, or nothing wanted: start where complete records end.
      return lines == 0 ? Math.max(recordsEnd, floor) : floor;
    }
    var counter = new Counter(lines);
    long recordEnd = recordsEnd;
    ByteBuffer block = ByteBuffer.allocate(BLOCK);
    // Scan bytes before the final newline; each newline found ends the record before it.
    long blockEnd = recordsEnd - 1;
    while (blockEnd > floor) {
      long blockStart = Math.max(floor, blockEnd - BLOCK);
      block.clear().limit((int) (blockEnd - blockStart));
      readFully(channel, block, blockStart);
      for (int i = block.limit() - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          long recordStart = blockStart + i + 1;
          if (counter.isFirstLineStart(channel, recordStart, recordEnd)) {
            return recordEnd;
          }
          recordEnd = recordStart;
        }
      }
      blockEnd = blockStart;
    }
    return counter.isFirstLineStart(channel, floor, recordEnd) ? recordEnd : floor;
  }

  /** Walks records from the end; says when a record ends the line before the wanted ones. */
  private static final class Counter {
    private final int wanted;
    private int counted;
    private boolean seenFull;

    Counter(int wanted) {
      this.wanted = wanted;
    }

    /** True if the record [start, end) is the F record that ends the line before the last {@code wanted}. */
    boolean isFirstLineStart(FileChannel channel, long start, long end) throws IOException {
      var tag = tag(channel, start, end);
      if (tag == K8sFileFormat.Tag.FULL) {
        if (counted == wanted) {
          return true;
        }
        counted++;
        seenFull = true;
      } else if (tag == K8sFileFormat.Tag.PARTIAL && !seenFull && counted == 0) {
        // Trailing partial records: a line still being written counts once.
        counted++;
      }
      return false;
    }
  }

  private static K8sFileFormat.Tag tag(FileChannel channel, long start, long end) throws IOException {
    int length = (int) Math.min(HEAD, end - start);
    ByteBuffer head = ByteBuffer.allocate(length);
    readFully(channel, head, start);
    return K8sFileFormat.tag(head.array(), length);
  }

  /** Position just after the last newline before {@code end}; {@code floor} if there is none after it. */
  private static long lastNewline(FileChannel channel, long floor, long end) throws IOException {
    ByteBuffer block = ByteBuffer.allocate(BLOCK);
    long blockEnd = end;
    while (blockEnd > floor) {
      long blockStart = Math.max(floor, blockEnd - BLOCK);
      block.clear().limit((int) (blockEnd - blockStart));
      readFully(channel, block, blockStart);
      for (int i = block.limit() - 1; i >= 0; i--) {
        if (block.get(i) == '\n') {
          return blockStart + i + 1;
        }
      }
      blockEnd = blockStart;
    }
    return floor;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new IOException("log file shrank while reading it");
      }
    }
  }
}
