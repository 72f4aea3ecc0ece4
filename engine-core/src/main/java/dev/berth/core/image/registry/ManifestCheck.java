package dev.berth.core.image.registry;

import dev.berth.core.image.Digest;
import dev.berth.core.image.MediaTypes;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

/**
 * {@code HEAD /v2/<name>/manifests/<reference>}: the digest a tag points at now, without the
 * manifest, so an up-to-date pull costs one small round trip. Any failure answers empty; the
 * caller's GET then fetches the error's details, as distribution's tag service does.
 */
final class ManifestCheck {

  private ManifestCheck() {}

  static Optional<Digest> digest(Transport t, String path, String reference) {
    var call = new Transport.Call("HEAD", t.uri("/v2/" + path + "/manifests/" + reference),
        Map.of("Accept", String.join(", ", MediaTypes.PULLABLE_MANIFESTS)), HttpRequest.BodyPublishers.noBody());
    HttpResponse<InputStream> r = t.send(call);
    Transport.close(r);
    if (r.statusCode() < 200 || r.statusCode() >= 300) {
      return Optional.empty();
    }
    return r.headers().firstValue("Docker-Content-Digest").filter(Digest::isDigest).map(Digest::parse);
  }
}
