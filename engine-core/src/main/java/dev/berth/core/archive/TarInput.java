package dev.berth.core.archive;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Every tar berth reads (docker cp, image load and import, pulled layers) goes through here.
 * commons-compress reads a GNU long name or link ('L', 'K') and a PAX header ('x', 'g') into
 * memory whole, whatever size the archive claims: one small gzipped upload could claim gigabytes
 * and exhaust the engine's heap. Go's archive/tar, which dockerd reads with, refuses such a header
 * above 1 MiB ("archive/tar: header field too long"); this stream does the same, watching the raw
 * 512-byte headers as they go by, before commons-compress sees them.
 */
public final class TarInput extends FilterInputStream {

  /** Go's archive/tar maxSpecialFileSize. */
  static final long MAX_SPECIAL_FILE_SIZE = 1 << 20;
  private static final int BLOCK = 512;
  private static final int SIZE_OFFSET = 124;
  private static final int SIZE_LENGTH = 12;
  private static final int TYPE_OFFSET = 156;
  // Old GNU sparse: 'S' headers may be followed by extension headers, flagged at these offsets.
  private static final int SPARSE_EXTENDED = 482;
  private static final int SPARSE_EXTENSION_EXTENDED = 504;

  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  // Bytes of the current entry (data and padding) still to pass before the next header.
  private long remaining;
  // Data of an old GNU sparse entry, which follows its extension headers.
  private long afterExtensions = -1;
  // A PAX header's records, kept (at most 1 MiB) for the size they may give the next entry.
  private ByteArrayOutputStream pax;
  private long paxLeft;
  private long nextSize = -1;
  // A zero block was seen: the archive has ended, whatever bytes follow.
  private boolean ended;

  private TarInput(InputStream in) {
    super(in);
  }

  /** A tar reader of {@code in} with Go's bounds on what it holds in memory. */
  public static TarArchiveInputStream open(InputStream in) {
    return new TarArchiveInputStream(new TarInput(in));
  }

  @Override
  public int read() throws IOException {
    int b = in.read();
    if (b >= 0) {
      watch(new byte[] {(byte) b}, 0, 1);
    } else {
      atEnd();
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      watch(b, off, n);
    } else if (n < 0) {
      atEnd();
    }
    return n;
  }

  /**
   * A stream that ends inside a header, before the archive's end (a zero block), is cut short: Go's
   * archive/tar answers "unexpected EOF" where commons-compress would see no more entries, and take
   * a few stray bytes (a JSON body sent as a tar) for an empty archive.
   */
  private void atEnd() throws IOException {
    if (headerFill > 0 && !ended) {
      throw new IOException("unexpected EOF");
    }
  }

  // Skipped bytes are read too, or a header could pass unseen.
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(n, 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  private void watch(byte[] b, int off, int len) throws IOException {
    int i = off;
    int end = off + len;
    while (i < end) {
      if (remaining > 0) {
        int take = (int) Math.min(remaining, end - i);
        if (pax != null) {
          int kept = (int) Math.min(paxLeft, take);
          pax.write(b, i, kept);
          paxLeft -= kept;
          if (paxLeft == 0) {
            nextSize = paxSize(pax.toString(StandardCharsets.UTF_8));
            pax = null;
          }
        }
        remaining -= take;
        i += take;
        continue;
      }
      int take = Math.min(BLOCK - headerFill, end - i);
      System.arraycopy(b, i, header, headerFill, take);
      headerFill += take;
      i += take;
      if (headerFill == BLOCK) {
        headerFill = 0;
        examine();
      }
    }
  }

  private void examine() throws IOException {
    if (afterExtensions >= 0) {
      if (header[SPARSE_EXTENSION_EXTENDED] == 0) {
        remaining = afterExtensions;
        afterExtensions = -1;
      }
      return;
    }
    if (java.util.Arrays.equals(header, new byte[BLOCK])) {
      ended = true;
      return;
    }
    byte type = header[TYPE_OFFSET];
    long size = size();
    boolean special = type == 'L' || type == 'K' || type == 'x' || type == 'g';
    if (special && size > MAX_SPECIAL_FILE_SIZE) {
      throw new IOException("archive/tar: header field too long");
    }
    if (type == 'x' && size > 0) {
      pax = new ByteArrayOutputStream((int) size);
      paxLeft = size;
    } else if (!special) {
      // A PAX header's "size" is the entry's size, whatever its own header says (files over 8 GiB).
      if (nextSize >= 0) {
        size = nextSize;
      }
      nextSize = -1;
    }
    long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
    if (type == 'S' && header[SPARSE_EXTENDED] != 0) {
      afterExtensions = padded;
    } else {
      remaining = padded;
    }
  }

  // PAX records are "<length> <key>=<value>\n"; -1 when none gives a size.
  private static long paxSize(String records) {
    long size = -1;
    for (String record : records.split("\n")) {
      int space = record.indexOf(' ');
      if (space > 0 && record.startsWith("size=", space + 1)) {
        try {
          size = Long.parseLong(record.substring(space + 1 + "size=".length()));
        } catch (NumberFormatException e) {
          size = -1;
        }
      }
    }
    return size;
  }

  // Octal digits (space or NUL ended), or base-256 when the first byte's high bit is set.
  private long size() throws IOException {
    if ((header[SIZE_OFFSET] & 0x80) != 0) {
      long v = header[SIZE_OFFSET] & 0x7f;
      for (int i = 1; i < SIZE_LENGTH; i++) {
        if (v > (Long.MAX_VALUE >> 8)) {
          throw new IOException("archive/tar: header field too long");
        }
        v = (v << 8) | (header[SIZE_OFFSET + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    for (int i = 0; i < SIZE_LENGTH; i++) {
      byte c = header[SIZE_OFFSET + i];
      if (c == 0 || c == ' ') {
        if (v > 0) {
          break;
        }
        continue;
      }
      if (c < '0' || c > '7') {
        return 0; // not a header commons-compress will accept either: it reports it
      }
      v = v * 8 + (c - '0');
    }
    return v;
  }
}
