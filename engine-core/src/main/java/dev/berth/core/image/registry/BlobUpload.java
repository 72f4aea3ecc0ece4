package dev.berth.core.image.registry;

import dev.berth.core.error.UpstreamException;
import dev.berth.core.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * A monolithic blob upload: {@code POST /v2/<name>/blobs/uploads/} opens a session, one
 * {@code PUT <location>?digest=<digest>} carries the whole blob and closes it. The registry
 * checks the digest; it answers 201 when the blob is stored.
 */
final class BlobUpload {

  private BlobUpload() {}

  static URI start(Transport t, String path) {
    var call = new Transport.Call("POST", t.uri("/v2/" + path + "/blobs/uploads/"), Map.of(),
        HttpRequest.BodyPublishers.noBody());
    HttpResponse<InputStream> r = t.send(call);
    if (r.statusCode() != 202) {
      throw new UpstreamException(Transport.error(r).describe());
    }
    Transport.close(r);
    String location = r.headers().firstValue("Location")
        .orElseThrow(() -> new UpstreamException("the registry opened an upload without a Location"));
    return call.uri().resolve(location);
  }

  /** @param progress told the bytes sent so far, as they go */
  static void put(Transport t, URI location, Digest digest, Path file, LongConsumer progress) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String sep = location.getRawQuery() == null ? "?" : "&";
    URI target = URI.create(location + sep + "digest=" + URLEncoder.encode(digest.toString(), StandardCharsets.UTF_8));
    HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> counting(file, progress)), size);
    var call = new Transport.Call("PUT", target, Map.of("Content-Type", "application/octet-stream"), body);
    HttpResponse<InputStream> r = t.send(call);
    if (r.statusCode() != 201) {
      throw new UpstreamException(Transport.error(r).describe());
    }
    Transport.close(r);
  }

  private static InputStream counting(Path file, LongConsumer progress) {
    try {
      return new FilterInputStream(Files.newInputStream(file)) {
        private long sent;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            sent += n;
            progress.accept(sent);
          }
          return n;
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
