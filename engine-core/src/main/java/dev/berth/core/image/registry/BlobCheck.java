package dev.berth.core.image.registry;

import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.Digest;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** {@code HEAD /v2/<name>/blobs/<digest>}: whether a push can skip this blob ("Layer already exists"). */
final class BlobCheck {

  private BlobCheck() {}

  static boolean exists(Transport t, String path, Digest digest) {
    var call = new Transport.Call("HEAD", t.uri("/v2/" + path + "/blobs/" + digest), Map.of(),
        HttpRequest.BodyPublishers.noBody());
    HttpResponse<InputStream> r = t.send(call);
    Transport.close(r);
    return switch (r.statusCode()) {
      case 200 -> true;
      case 404 -> false;
      default -> throw new UpstreamException(Http.goMethod("HEAD") + " \"" + call.uri() + "\": "
          + new RegistryError(r.statusCode(), "", "").describe());
    };
  }
}
