package dev.berth.core.image.registry;

import dev.berth.core.image.Digest;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code POST /v2/<name>/blobs/uploads/?mount=<digest>&from=<repo>}: cross-repository blob mount.
 * A registry that mounts answers 201 and the blob is there without a byte sent; one that cannot
 * (or will not: the source is unknown or not readable with our token) answers 202 with an upload
 * session, which the push then uses instead of opening another.
 */
final class BlobMount {

  /** Either mounted, or where to upload the blob after all. */
  record Result(boolean mounted, URI uploadLocation) {}

  private BlobMount() {}

  static Result mount(Transport t, String path, Digest digest, String fromPath) {
    var call = new Transport.Call("POST", t.uri("/v2/" + path + "/blobs/uploads/?mount="
        + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8) + "&from="
        + URLEncoder.encode(fromPath, StandardCharsets.UTF_8)), Map.of(), HttpRequest.BodyPublishers.noBody());
    HttpResponse<InputStream> r = t.send(call);
    Transport.close(r);
    if (r.statusCode() == 201) {
      return new Result(true, null);
    }
    if (r.statusCode() == 202) {
      return new Result(false, r.headers().firstValue("Location").map(l -> call.uri().resolve(l)).orElse(null));
    }
    return new Result(false, null);
  }
}
