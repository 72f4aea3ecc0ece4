package dev.berth.core.image.registry;

import dev.berth.core.error.UpstreamException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** {@code PUT /v2/<name>/manifests/<tag>}: the last step of a push; the tag points at it from then on. */
final class ManifestUpload {

  private ManifestUpload() {}

  static void put(Transport t, String path, String tag, byte[] content, String mediaType) {
    var call = new Transport.Call("PUT", t.uri("/v2/" + path + "/manifests/" + tag),
        Map.of("Content-Type", mediaType), HttpRequest.BodyPublishers.ofByteArray(content));
    HttpResponse<InputStream> r = t.send(call);
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw new UpstreamException(Transport.error(r).describe());
    }
    Transport.close(r);
  }
}
