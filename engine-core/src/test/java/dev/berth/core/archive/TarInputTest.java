package dev.berth.core.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** Issue 10: a tar cannot make the engine hold a long name or PAX header of any size in memory. */
class TarInputTest {

  private static List<String> names(byte[] tar) throws IOException {
    var names = new ArrayList<String>();
    try (TarArchiveInputStream in = TarInput.open(new ByteArrayInputStream(tar))) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        in.readAllBytes();
      }
    }
    return names;
  }

  // A raw 512-byte header: name, octal size, type; checksum as tar computes it.
  private static byte[] header(String name, long size, char type) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    System.arraycopy("0000644\0".getBytes(StandardCharsets.US_ASCII), 0, h, 100, 8);
    System.arraycopy("0000000\0".getBytes(StandardCharsets.US_ASCII), 0, h, 108, 8);
    System.arraycopy("0000000\0".getBytes(StandardCharsets.US_ASCII), 0, h, 116, 8);
    System.arraycopy(String.format("%011o ", size).getBytes(StandardCharsets.US_ASCII), 0, h, 124, 12);
    System.arraycopy("00000000000 ".getBytes(StandardCharsets.US_ASCII), 0, h, 136, 12);
    h[156] = (byte) type;
    System.arraycopy("ustar\00000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    java.util.Arrays.fill(h, 148, 156, (byte) ' ');
    int sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    System.arraycopy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, h, 148, 8);
    return h;
  }

  private static byte[] padded(byte[] data) {
    return java.util.Arrays.copyOf(data, (data.length + 511) / 512 * 512);
  }

  @Test
  void longNamesAndPaxHeadersOfNormalSizeRead() throws IOException {
    var out = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
      String longName = "d/".repeat(120) + "f";
      var e = new TarArchiveEntry(longName);
      byte[] data = "x".repeat(1000).getBytes(StandardCharsets.US_ASCII);
      e.setSize(data.length);
      tar.putArchiveEntry(e);
      tar.write(data);
      tar.closeArchiveEntry();
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      var p = new TarArchiveEntry("p/".repeat(80) + "g");
      tar.putArchiveEntry(p);
      tar.closeArchiveEntry();
    }
    List<String> names = names(out.toByteArray());
    assertEquals(2, names.size());
    assertEquals("d/".repeat(120) + "f", names.get(0));
  }

  @Test
  void aLongNameOrPaxHeaderOverOneMebibyteIsRefusedAsGoRefusesIt() {
    for (char type : new char[] {'L', 'K', 'x', 'g'}) {
      // The header alone claims 200 MB; nothing of it needs to follow for the refusal.
      byte[] tar = header("././@LongLink", 200L << 20, type);
      var e = assertThrows(IOException.class, () -> names(tar), "type " + type);
      assertEquals("archive/tar: header field too long", e.getMessage());
    }
  }

  @Test
  void aStreamThatEndsInsideAHeaderIsCutShortAsGoSays() throws IOException {
    var e = assertThrows(IOException.class, () -> names("\"/tmp/rootfs.tar\"".getBytes(StandardCharsets.UTF_8)));
    assertEquals("unexpected EOF", e.getMessage());
    byte[] cut = java.util.Arrays.copyOf(header("file", 0, '0'), 700);
    assertThrows(IOException.class, () -> names(cut));
    assertEquals(List.of(), names(new byte[0]), "no bytes at all are an empty archive, as in Go");
  }

  @Test
  void bytesAfterTheArchivesEndAreNotRead() throws IOException {
    var out = new ByteArrayOutputStream();
    out.writeBytes(header("file", 0, '0'));
    out.writeBytes(new byte[1024]);
    out.writeBytes("trailing".getBytes(StandardCharsets.US_ASCII));
    assertEquals(List.of("file"), names(out.toByteArray()));
  }

  @Test
  void entryDataThatLooksLikeAHeaderIsData() throws IOException {
    var out = new ByteArrayOutputStream();
    byte[] fake = header("evil", 200L << 20, 'L');
    out.writeBytes(header("file", fake.length, '0'));
    out.writeBytes(fake);
    out.writeBytes(new byte[1024]);
    assertEquals(List.of("file"), names(out.toByteArray()));
  }

  @Test
  void aPaxSizeDecidesWhereTheNextHeaderIs() throws IOException {
    var out = new ByteArrayOutputStream();
    byte[] record = "12 size=600\n".getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(header("PaxHeaders/big", record.length, 'x'));
    out.writeBytes(padded(record));
    // The header says 0; the PAX record says 600, and 600 bytes follow.
    out.writeBytes(header("big", 0, '0'));
    byte[] data = new byte[600];
    System.arraycopy(header("evil", 200L << 20, 'L'), 0, data, 0, 512);
    out.writeBytes(padded(data));
    out.writeBytes(header("././@LongLink", 200L << 20, 'L'));
    var e = assertThrows(IOException.class, () -> names(out.toByteArray()));
    assertEquals("archive/tar: header field too long", e.getMessage());
  }
}
