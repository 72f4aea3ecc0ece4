package dev.berth.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** distribution/reference {@code ParseNormalizedNamed} and {@code FamiliarString}, as dockerd uses them. */
class ImageReferenceTest {

  private static final String HEX = "0123456789abcdef".repeat(4);
  private static final String DIGEST = "sha256:" + HEX;

  private static String message(String s) {
    return assertThrows(InvalidArgumentException.class, () -> ImageReference.parse(s)).getMessage();
  }

  @ParameterizedTest
  @CsvSource({
      "busybox,                      docker.io, library/busybox",
      "library/busybox,              docker.io, library/busybox",
      "docker.io/busybox,            docker.io, library/busybox",
      "docker.io/library/busybox,    docker.io, library/busybox",
      "index.docker.io/busybox,      docker.io, library/busybox",
      "user/app,                     docker.io, user/app",
      "user/team/app,                docker.io, user/team/app",
      "localhost/app,                localhost, app",
      "localhost:5000/app,           localhost:5000, app",
      "host:5000/a/b,                host:5000, a/b",
      "example.com/app,              example.com, app",
      "registry.example.com/a/b/c,   registry.example.com, a/b/c",
      "127.0.0.1:5000/app,           127.0.0.1:5000, app",
      "[::1]:5000/app,               '[::1]:5000', app",
      "Registry/app,                 Registry, app",
      "user_1__x-y/web--x.y,         docker.io, user_1__x-y/web--x.y"})
  void namesAreNormalizedLikeDocker(String input, String domain, String path) {
    ImageReference r = ImageReference.parse(input);
    assertEquals(domain, r.domain());
    assertEquals(path, r.path());
    assertNull(r.tag());
    assertNull(r.digest());
  }

  @Test
  void tagIsKept() {
    ImageReference r = ImageReference.parse("host:5000/a/b:tag");
    assertEquals("host:5000", r.domain());
    assertEquals("a/b", r.path());
    assertEquals("tag", r.tag());
    assertEquals("host:5000/a/b:tag", r.toString());
  }

  @Test
  void singleNameWithColonIsATagNotAPort() {
    ImageReference r = ImageReference.parse("localhost:5000");
    assertEquals("docker.io", r.domain());
    assertEquals("library/localhost", r.path());
    assertEquals("5000", r.tag());
  }

  @Test
  void digestIsKept() {
    ImageReference r = ImageReference.parse("busybox@" + DIGEST);
    assertNull(r.tag());
    assertEquals(Digest.parse(DIGEST), r.digest());
    assertEquals("docker.io/library/busybox@" + DIGEST, r.toString());
    assertEquals("busybox@" + DIGEST, r.familiar());
  }

  @Test
  void tagAndDigestAreBothKept() {
    ImageReference r = ImageReference.parse("user/app:1.0@" + DIGEST);
    assertEquals("1.0", r.tag());
    assertEquals(Digest.parse(DIGEST), r.digest());
    assertEquals("docker.io/user/app:1.0@" + DIGEST, r.toString());
    assertEquals("user/app:1.0@" + DIGEST, r.familiar());
  }

  @ParameterizedTest
  @CsvSource({
      "busybox,                 busybox,                 docker.io/library/busybox",
      "busybox:1.36,            busybox:1.36,            docker.io/library/busybox:1.36",
      "docker.io/library/a:b,   a:b,                     docker.io/library/a:b",
      "library/a/b,             library/a/b,             docker.io/library/a/b",
      "user/app:v1,             user/app:v1,             docker.io/user/app:v1",
      "localhost/app,           localhost/app,           localhost/app",
      "example.com/app:1,       example.com/app:1,       example.com/app:1",
      "host:5000/a/b:tag,       host:5000/a/b:tag,       host:5000/a/b:tag"})
  void familiarFormDropsDockerHubAndLibrary(String input, String familiar, String full) {
    ImageReference r = ImageReference.parse(input);
    assertEquals(familiar, r.familiar());
    assertEquals(full, r.toString());
  }

  @Test
  void repositoryHasNoTagOrDigest() {
    ImageReference r = ImageReference.parse("busybox:1@" + DIGEST);
    assertEquals("docker.io/library/busybox", r.repository());
    assertEquals("busybox", r.familiarRepository());
    assertEquals("host:5000/a/b", ImageReference.parse("host:5000/a/b:t").familiarRepository());
  }

  @Test
  void withDefaultTagAddsLatestOnlyWhenNothingIsPinned() {
    assertEquals("docker.io/library/busybox:latest", ImageReference.parse("busybox").withDefaultTag().toString());
    ImageReference tagged = ImageReference.parse("busybox:1");
    assertSame(tagged, tagged.withDefaultTag());
    ImageReference digested = ImageReference.parse("busybox@" + DIGEST);
    assertSame(digested, digested.withDefaultTag());
  }

  @Test
  void withTagReplacesTagAndDigest() {
    ImageReference r = ImageReference.parse("busybox:1@" + DIGEST).withTag("2");
    assertEquals("docker.io/library/busybox:2", r.toString());
    assertEquals("invalid tag format",
        assertThrows(InvalidArgumentException.class, () -> r.withTag("-bad")).getMessage());
  }

  @Test
  void withDigestReplacesTheTag() {
    ImageReference r = ImageReference.parse("busybox:1").withDigest(Digest.parse(DIGEST));
    assertEquals("docker.io/library/busybox@" + DIGEST, r.toString());
  }

  @Test
  void tagsMayHaveUppercaseDotsAndDashesUpTo128Characters() {
    assertEquals("V1.2-rc_3", ImageReference.parse("busybox:V1.2-rc_3").tag());
    String longest = "a".repeat(128);
    assertEquals(longest, ImageReference.parse("busybox:" + longest).tag());
    assertEquals("invalid reference format", message("busybox:" + "a".repeat(129)));
    assertTrue(ImageReference.isValidTag("latest"));
    assertTrue(!ImageReference.isValidTag(".hidden") && !ImageReference.isValidTag("") && !ImageReference.isValidTag(null));
  }

  @Test
  void uppercaseRepositoryIsRefusedWithTheNormalizedName() {
    assertEquals("invalid reference format: repository name (library/Busybox) must be lowercase", message("Busybox"));
    assertEquals("invalid reference format: repository name (user/App) must be lowercase", message("user/App:1"));
    assertEquals("invalid reference format: repository name (App) must be lowercase", message("host:5000/App"));
  }

  @Test
  void sixtyFourHexIsRefusedAsAnId() {
    assertEquals("invalid repository name (" + HEX + "), cannot specify 64-byte hexadecimal strings", message(HEX));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-busybox", "busybox-", "bus..box", "a b", "busybox:", "busybox@", ":tag", "a//b",
      "busybox:tag:more", "busybox@sha256:xyz", "/busybox", "busybox/", "host:port/app"})
  void junkIsAnInvalidReferenceFormat(String s) {
    assertTrue(message(s).startsWith("invalid reference format"), s);
  }

  @Test
  void nameOfExactly255CharactersInThePathIsAllowed() {
    // The limit applies to the path, not to domain plus path (distribution/reference Parse).
    String path = "library/" + "a".repeat(247);
    assertEquals(path, ImageReference.parse(path).path());
    assertEquals(path, ImageReference.parse("docker.io/" + path).path());
  }

  @Test
  void pathOver255CharactersIsRefusedWithDistributionsMessage() {
    assertEquals("repository name must not be more than 255 characters", message("library/" + "a".repeat(248)));
  }

  @Test
  void tryParseIsEmptyInsteadOfThrowing() {
    assertTrue(ImageReference.tryParse("Busybox").isEmpty());
    assertEquals(ImageReference.parse("busybox"), ImageReference.tryParse("busybox").orElseThrow());
  }

  @Test
  void equalNamesAreEqualReferences() {
    assertEquals(ImageReference.parse("busybox:latest"), ImageReference.parse("docker.io/library/busybox:latest"));
    assertEquals(ImageReference.parse("index.docker.io/user/app"), ImageReference.parse("user/app"));
  }
}
