package dev.berth.core.image.registry;

import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.Digest;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * {@code GET /v2/<name>/blobs/<digest>}, following redirects to wherever the registry keeps its
 * blobs. The stream is not verified here: the caller checks size and digest before trusting it.
 */
final class BlobFetch {

  private BlobFetch() {}

  /** The blob's bytes as they arrive; close it. */
  static InputStream open(Transport t, String path, Digest digest) {
    var call = new Transport.Call("GET", t.uri("/v2/" + path + "/blobs/" + digest), Map.of(),
        HttpRequest.BodyPublishers.noBody());
    HttpResponse<InputStream> r = t.send(call);
    if (r.statusCode() != 200) {
      RegistryError e = Transport.error(r);
      throw new UpstreamException(e.is(RegistryError.BLOB_UNKNOWN) || r.statusCode() == 404
          ? "blob " + digest + " not found in " + t.base().getAuthority() + "/" + path + ": " + e.describe()
          : e.describe());
    }
    return r.body();
  }
}
