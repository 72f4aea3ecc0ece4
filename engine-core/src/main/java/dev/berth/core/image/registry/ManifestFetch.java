package dev.berth.core.image.registry;

import dev.berth.core.error.EngineException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** {@code GET /v2/<name>/manifests/<reference>}: a manifest or index, checked against its digest. */
final class ManifestFetch {

  // distribution's client refuses manifests over 4 MiB; so do we, before reading them into memory.
  private static final int MAX_SIZE = 4 * 1024 * 1024;

  private ManifestFetch() {}

  /**
   * @param ref what the user asked for, named in errors
   * @throws NotFoundException with dockerd's wording for an unknown tag, repository or a denied pull
   */
  static Manifest fetch(Transport t, String path, String reference, ImageReference ref) {
    var call = new Transport.Call("GET", t.uri("/v2/" + path + "/manifests/" + reference),
        Map.of("Accept", String.join(", ", MediaTypes.PULLABLE_MANIFESTS)), HttpRequest.BodyPublishers.noBody());
    HttpResponse<InputStream> r = t.send(call);
    if (r.statusCode() != 200) {
      throw pullError(Transport.error(r), ref);
    }
    byte[] content;
    try (InputStream in = r.body()) {
      content = in.readNBytes(MAX_SIZE + 1);
    } catch (IOException e) {
      throw new UpstreamException(Http.describe("GET", call.uri(), e), e);
    }
    if (content.length > MAX_SIZE) {
      throw new UpstreamException("manifest for " + ref.familiar() + " is larger than 4 MiB");
    }
    Digest actual = Digest.of(content);
    if (Digest.isDigest(reference) && !Digest.parse(reference).equals(actual)) {
      throw new UpstreamException("manifest verification failed for digest " + reference);
    }
    String type = r.headers().firstValue("Content-Type").map(ManifestFetch::bare).orElse("");
    return new Manifest(content, type, actual);
  }

  /**
   * moby's translatePullError: a denied pull, an unknown tag or repository read as "not found"
   * with the familiar name; anything else is the registry's own error text.
   */
  static EngineException pullError(RegistryError e, ImageReference ref) {
    if (e.is(RegistryError.DENIED) || e.is(RegistryError.UNAUTHORIZED)) {
      return new NotFoundException("pull access denied for " + ref.familiarRepository()
          + ", repository does not exist or may require 'docker login': " + e.describe());
    }
    if (e.is(RegistryError.MANIFEST_UNKNOWN) || (e.status() == 404 && e.code().isEmpty())) {
      return new NotFoundException("manifest for " + ref.familiar() + " not found: "
          + (e.code().isEmpty() ? "manifest unknown: manifest unknown" : e.describe()));
    }
    if (e.is(RegistryError.NAME_UNKNOWN)) {
      return new NotFoundException("repository " + ref.familiarRepository() + " not found: " + e.describe());
    }
    if (e.status() == 400 && e.code().equals("NAME_INVALID")) {
      return new InvalidArgumentException(e.describe());
    }
    return new UpstreamException(e.describe());
  }

  private static String bare(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).strip();
  }
}
