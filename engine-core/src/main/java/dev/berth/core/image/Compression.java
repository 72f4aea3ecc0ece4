package dev.berth.core.image;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * How a layer or archive stream is compressed, told by its first bytes as Docker does
 * ({@code DecompressStream}); media types are not trusted for this.
 */
public enum Compression {
  NONE, GZIP, BZIP2, XZ, ZSTD;

  private static final byte[] GZIP_MAGIC = {0x1f, (byte) 0x8b, 0x08};
  private static final byte[] BZIP2_MAGIC = {'B', 'Z', 'h'};
  private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0x00};
  private static final byte[] ZSTD_MAGIC = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};

  public static Compression of(byte[] head, int n) {
    if (startsWith(head, n, GZIP_MAGIC)) {
      return GZIP;
    }
    if (startsWith(head, n, BZIP2_MAGIC)) {
      return BZIP2;
    }
    if (startsWith(head, n, XZ_MAGIC)) {
      return XZ;
    }
    if (startsWith(head, n, ZSTD_MAGIC)) {
      return ZSTD;
    }
    return NONE;
  }

  public static Compression of(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = new byte[8];
      return of(head, in.readNBytes(head, 0, head.length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The OCI media type of a layer blob compressed this way. */
  public String layerMediaType() {
    return switch (this) {
      case NONE -> MediaTypes.OCI_LAYER;
      case GZIP -> MediaTypes.OCI_LAYER_GZIP;
      case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
      // No standard type exists for these; the suffix still tells a reader what the bytes are.
      case BZIP2 -> MediaTypes.OCI_LAYER + "+bzip2";
      case XZ -> MediaTypes.OCI_LAYER + "+xz";
    };
  }

  /** Wraps {@code in} so that it reads uncompressed bytes, whatever the stream turns out to be. */
  public static InputStream decompress(InputStream in) throws IOException {
    var buffered = new BufferedInputStream(in, 65536);
    buffered.mark(16);
    byte[] head = new byte[8];
    int n = buffered.readNBytes(head, 0, head.length);
    buffered.reset();
    return switch (of(head, n)) {
      case NONE -> buffered;
      // Concatenated members are legal gzip, and Go's reader (which produced the diffID) reads them all.
      case GZIP -> GzipCompressorInputStream.builder().setInputStream(buffered).setDecompressConcatenated(true).get();
      case BZIP2 -> new BZip2CompressorInputStream(buffered, true);
      case XZ -> new XZCompressorInputStream(buffered, true);
      case ZSTD -> new ZstdInputStream(buffered);
    };
  }

  private static boolean startsWith(byte[] head, int n, byte[] magic) {
    return n >= magic.length && Arrays.equals(head, 0, magic.length, magic, 0, magic.length);
  }
}
