package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BlobStore and LayerStore on their own. */
class StoresTest {

  @TempDir
  Path tmp;
  ServiceFixture f;

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
  }

  @Test
  void blobsAreContentAddressed() {
    byte[] content = "hello".getBytes();
    Digest d = f.blobs.put(content);
    assertEquals(Digest.of(content), d);
    assertEquals(f.paths.blobs().resolve(d.hex()), f.blobs.path(d));
    assertArrayEquals(content, f.blobs.read(d));
    assertEquals(5, f.blobs.size(d));
    assertEquals(d, f.blobs.put(new ByteArrayInputStream(content), d));
    f.blobs.delete(d);
    assertFalse(f.blobs.has(d));
    assertThrows(NotFoundException.class, () -> f.blobs.read(d));
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestIsNeverStored() {
    Digest promised = Digest.of("something else".getBytes());
    assertThrows(InvalidArgumentException.class,
        () -> f.blobs.put(new ByteArrayInputStream("hello".getBytes()), promised));
    assertFalse(f.blobs.has(promised));
    assertFalse(f.blobs.has(Digest.of("hello".getBytes())));
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void adoptMovesAScratchFileIn() throws IOException {
    Path file = f.scratch.newFile("x-");
    Files.writeString(file, "layer");
    Digest d = f.blobs.adopt(file, null);
    assertFalse(Files.exists(file));
    assertEquals("layer", Files.readString(f.blobs.path(d)));
    Path bad = f.scratch.newFile("x-");
    Files.writeString(bad, "other");
    assertThrows(InvalidArgumentException.class, () -> f.blobs.adopt(bad, d));
    assertFalse(Files.exists(bad));
    assertEquals("layer", Files.readString(f.blobs.path(d)));
  }

  @Test
  void registerExtractsOnceAndRecordsTheLayer() throws IOException {
    byte[] tar = new TarBuilder().file("a", "12345").build();
    Digest blob = f.blobs.put(TarBuilder.gzip(tar));
    Layer l = f.layers.register(null, null, blob, MediaTypes.OCI_LAYER_GZIP);
    assertEquals(Digest.of(tar), l.diffId());
    assertEquals(new ChainId(Digest.of(tar)), l.chainId());
    assertEquals(5, l.size());
    assertEquals(blob, l.blob());
    assertEquals(l, f.repo.findLayer(l.chainId()).orElseThrow());
    assertEquals("12345", Files.readString(f.layers.diffDir(l.chainId()).resolve("a")));
    assertEquals(l, f.layers.register(null, Digest.of(tar), blob, MediaTypes.OCI_LAYER_GZIP));
    // The layer above gets its chain ID from its parent.
    byte[] top = new TarBuilder().file("b", "x").build();
    Layer l2 = f.layers.register(l.chainId(), Digest.of(top), f.blobs.put(top), MediaTypes.OCI_LAYER);
    assertEquals(ChainId.of(l.chainId(), Digest.of(top)), l2.chainId());
    assertEquals(l.chainId(), l2.parent());
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void diffIdMismatchLeavesNoLayer() {
    byte[] tar = new TarBuilder().file("a", "1").build();
    Digest blob = f.blobs.put(tar);
    Digest promised = Digest.of("nope".getBytes());
    assertThrows(InvalidArgumentException.class, () -> f.layers.register(null, promised, blob, MediaTypes.OCI_LAYER));
    assertTrue(f.repo.findLayer(new ChainId(promised)).isEmpty());
    assertFalse(Files.exists(f.layers.diffDir(new ChainId(promised))));
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void deleteRemovesRowAndDirectory() {
    byte[] tar = new TarBuilder().dir("d", 0555).file("d/a", "1").build();
    Layer l = f.layers.register(null, null, f.blobs.put(tar), MediaTypes.OCI_LAYER);
    f.layers.delete(l);
    assertTrue(f.repo.findLayer(l.chainId()).isEmpty());
    assertFalse(Files.exists(f.layers.diffDir(l.chainId()).getParent()));
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void fixturesAreDeterministic() {
    assertArrayEquals(BusyboxImages.rootfsTar(), BusyboxImages.rootfsTar());
    assertArrayEquals(BusyboxImages.ImageSpec.multiLayer().config(), BusyboxImages.ImageSpec.multiLayer().config());
    assertEquals(BusyboxImages.dockerSave(tmp.resolve("1.tar"), List.of("a:1"), BusyboxImages.ImageSpec.busybox()),
        BusyboxImages.dockerSave(tmp.resolve("2.tar"), List.of("a:1"), BusyboxImages.ImageSpec.busybox()));
    assertArrayEquals(readAll(tmp.resolve("1.tar")), readAll(tmp.resolve("2.tar")));
    assertArrayEquals(BusyboxImages.ImageSpec.busybox().gzipped().blobs().getFirst(),
        BusyboxImages.ImageSpec.busybox().gzipped().blobs().getFirst());
  }

  private static byte[] readAll(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
