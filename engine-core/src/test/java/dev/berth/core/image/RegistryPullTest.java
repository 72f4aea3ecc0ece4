package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.EngineException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.UnauthorizedException;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import dev.berth.core.image.distribution.Progress;
import dev.berth.core.image.distribution.RegistryService;
import dev.berth.core.image.registry.Credentials;
import dev.berth.core.image.registry.Registries;
import dev.berth.core.image.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls through the registry client against {@link FakeRegistry}: token auth, redirects, faults. */
class RegistryPullTest {

  @TempDir
  Path tmp;
  ServiceFixture f;
  FakeRegistry registry;
  RegistryService service;
  final List<Progress> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    f = new ServiceFixture(tmp);
    registry = new FakeRegistry();
    service = new RegistryService(f.repo, f.blobs, f.layers, f.scratch,
        new Registries(RegistryOptions.DEFAULTS, f.clock), f.clock, f.events, java.time.Duration.ofMillis(1));
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private ImageReference ref(String s) {
    return ImageReference.parse(registry.host() + "/" + s);
  }

  private ImageId pull(String s, Credentials c) {
    return service.pull(ref(s), null, c, progress::add);
  }

  private List<String> statuses() {
    return progress.stream().map(p -> switch (p) {
      case Progress.Message m -> m.status();
      case Progress.LayerStatus l -> l.status();
      case Progress.Transfer t -> t.action();
      case Progress.Pushed r -> "aux";
    }).toList();
  }

  @Test
  void anonymousBearerPullFollowsBlobRedirectsWithoutTheToken() {
    ImageSpec spec = ImageSpec.multiLayer().gzipped();
    Digest manifest = registry.put("app", "1", spec);

    assertEquals(spec.id(), pull("app:1", Credentials.NONE));

    Image img = f.repo.find(spec.id()).orElseThrow();
    assertEquals(List.of(ref("app:1")), img.tags());
    assertEquals(List.of(ref("app").withDigest(manifest).toString()), img.repoDigests());
    assertTrue(registry.requests.stream().anyMatch(r -> r.startsWith("GET /token?service=fake&scope=repository%3Aapp%3Apull")),
        registry.requests.toString());
    assertTrue(registry.requests.stream().noneMatch(r -> r.startsWith("GET /storage/") && r.contains("[")));
    List<String> s = statuses();
    assertEquals("Pulling from app", s.getFirst());
    assertEquals("Status: Downloaded newer image for " + registry.host() + "/app:1", s.getLast());
    assertTrue(s.containsAll(List.of("Pulling fs layer", "Downloading", "Download complete", "Extracting",
        "Pull complete", "Digest: " + manifest)), s.toString());
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void aSecondPullOfTheSameDigestIsOneHeadRequest() {
    registry.put("app", "1", ImageSpec.busybox().gzipped());
    pull("app:1", Credentials.NONE);
    registry.requests.clear();
    progress.clear();

    pull("app:1", Credentials.NONE);

    assertEquals(List.of("HEAD"), registry.requests.stream().map(r -> r.split(" ")[0]).toList(),
        registry.requests.toString());
    assertEquals("Status: Image is up to date for " + registry.host() + "/app:1", statuses().getLast());
  }

  @Test
  void credentialsAreSentToTheRealmAndRefusedOnesAreUnauthorized() {
    registry.user = "me";
    registry.password = "pw";
    ImageSpec spec = ImageSpec.busybox().gzipped();
    registry.put("app", "1", spec);

    var wrong = assertThrows(UnauthorizedException.class, () -> pull("app:1", new Credentials("me", "no", "", "")));
    assertTrue(wrong.getMessage().endsWith("unauthorized: incorrect username or password"), wrong.getMessage());
    assertThrows(EngineException.class, () -> pull("app:1", Credentials.NONE));

    assertEquals(spec.id(), pull("app:1", new Credentials("me", "pw", "", "")));
    service.login(registry.host(), new Credentials("me", "pw", "", ""));
    assertThrows(UnauthorizedException.class, () -> service.login("http://" + registry.host(),
        new Credentials("me", "no", "", "")));
  }

  @Test
  void anUnknownTagIsNotFoundInDockersWords() {
    registry.put("app", "1", ImageSpec.busybox().gzipped());
    var e = assertThrows(NotFoundException.class, () -> pull("app:2", Credentials.NONE));
    assertEquals("manifest for " + registry.host() + "/app:2 not found: manifest unknown: manifest unknown",
        e.getMessage());
    assertTrue(progress.isEmpty(), "nothing is streamed before the manifest is found");
  }

  @Test
  void aCutConnectionLeavesNothingThatCountsAndTheNextPullCompletes() {
    ImageSpec spec = ImageSpec.multiLayer().gzipped();
    registry.put("app", "1", spec);
    byte[] base = spec.blobs().getFirst();
    registry.cutAfter.put(Digest.of(base).toString(), base.length / 3);

    assertThrows(EngineException.class, () -> pull("app:1", Credentials.NONE));

    assertTrue(f.repo.find(spec.id()).isEmpty());
    assertTrue(f.layers.find(ChainId.chain(spec.diffIds()).getFirst()).isEmpty());
    assertFalse(f.blobs.has(Digest.of(base)));
    assertEquals(List.of(), f.scratchLeftovers());

    registry.cutAfter.clear();
    progress.clear();
    assertEquals(spec.id(), pull("app:1", Credentials.NONE));
    assertArrayEquals(base, f.blobs.read(Digest.of(base)));
  }

  @Test
  void aDownloadCutShortIsRetriedWithDockersCountdown() {
    ImageSpec spec = ImageSpec.busybox().gzipped();
    registry.put("app", "1", spec);
    byte[] layer = spec.blobs().getFirst();
    registry.cutTimes.put(Digest.of(layer).toString(), 2);

    assertEquals(spec.id(), pull("app:1", Credentials.NONE));

    assertArrayEquals(layer, f.blobs.read(Digest.of(layer)));
    var statuses = progress.stream().filter(p -> p instanceof Progress.LayerStatus).map(p -> ((Progress.LayerStatus) p)
        .status()).filter(st -> st.startsWith("Retrying")).toList();
    // 5 seconds after the first failure, 10 after the second, counted down.
    assertEquals(15, statuses.size(), statuses.toString());
    assertEquals("Retrying in 5 seconds", statuses.getFirst());
    assertEquals("Retrying in 10 seconds", statuses.get(5));
    assertEquals("Retrying in 1 second", statuses.getLast());
    assertEquals(List.of(), f.scratchLeftovers());
  }

  @Test
  void aBlobThatDoesNotMatchItsDigestIsNeverStored() {
    ImageSpec spec = ImageSpec.busybox().gzipped();
    registry.put("app", "1", spec);
    byte[] layer = spec.blobs().getFirst();
    byte[] bad = layer.clone();
    bad[bad.length / 2] ^= 1;
    registry.corrupt.put(Digest.of(layer).toString(), bad);

    var e = assertThrows(EngineException.class, () -> pull("app:1", Credentials.NONE));
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
    assertFalse(f.blobs.has(Digest.of(layer)));
    assertFalse(f.blobs.has(Digest.of(bad)));
    assertTrue(f.repo.list().isEmpty());
  }

  @Test
  void anIndexYieldsTheRequestedPlatform() {
    ImageSpec amd = ImageSpec.busybox().gzipped().withCmd(List.of("amd"));
    ImageSpec arm = ImageSpec.busybox().gzipped().withArchitecture("arm64").withCmd(List.of("arm"));
    Digest a = registry.put("multi", "amd", amd);
    Digest b = registry.put("multi", "arm", arm);
    String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
        + entry(a, registry.manifests.get("multi:amd").length, "amd64") + ","
        + entry(b, registry.manifests.get("multi:arm").length, "arm64") + "]}";
    registry.putRaw("multi", "1", index.getBytes(), MediaTypes.OCI_INDEX);

    assertEquals(amd.id(), pull("multi:1", Credentials.NONE));
    assertEquals(arm.id(), service.pull(ref("multi:1"), Platform.parse("linux/arm64"), Credentials.NONE, p -> { }));
    var none = assertThrows(NotFoundException.class,
        () -> service.pull(ref("multi:1"), Platform.parse("linux/s390x"), Credentials.NONE, p -> { }));
    assertEquals("no matching manifest for linux/s390x in the manifest list entries", none.getMessage());
  }

  private static String entry(Digest d, int size, String arch) {
    return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + d + "\",\"size\":" + size
        + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"" + arch + "\"}}";
  }
}
