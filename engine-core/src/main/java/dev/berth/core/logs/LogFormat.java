package dev.berth.core.logs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.Map;

/** How a driver lays entries out in its files; a file is a plain sequence of encoded entries. */
sealed interface LogFormat permits JsonFileFormat, LocalFormat {

  /**
   * One entry as it goes to disk.
   *
   * @param split set when the entry is a piece of a line longer than dockerd's 16 KB buffer
   */
  byte[] encode(LogEntry entry, Split split, Map<String, String> attrs);

  /** The next entry of {@code in}, or null at its end (a torn entry at the end counts as the end). */
  LogEntry decode(InputStream in) throws IOException;

  /**
   * Where the last {@code wanted} entries of the first {@code end} bytes of {@code file} begin,
   * reading backwards; {@code found[0]} gets how many there are (fewer when the file holds fewer).
   */
  long startOfLast(FileChannel file, long end, int wanted, int[] found) throws IOException;

  /**
   * A piece of a long line: dockerd's partial-log metadata.
   *
   * @param id the same for every piece of one line
   * @param ordinal 1 for the first piece
   * @param last whether this piece ends the line
   */
  record Split(String id, int ordinal, boolean last) {}
}
