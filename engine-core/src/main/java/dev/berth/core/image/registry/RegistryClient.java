package dev.berth.core.image.registry;

import dev.berth.core.image.Digest;
import dev.berth.core.image.ImageReference;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * One repository on one registry endpoint, with one client's credentials: the calls a pull or a
 * push makes, each done by its own endpoint class. Safe for concurrent use (layers download in
 * parallel through one client).
 */
public final class RegistryClient {

  private final Transport transport;
  private final Authorizer auth;
  private final ImageReference repository;
  private final boolean mirror;

  RegistryClient(Transport transport, Authorizer auth, ImageReference repository, boolean mirror) {
    this.transport = transport;
    this.auth = auth;
    this.repository = repository;
    this.mirror = mirror;
  }

  /** Where requests go, e.g. {@code http://127.0.0.1:5000}. */
  public URI endpoint() {
    return transport.base();
  }

  /** Whether this endpoint is a mirror of Docker Hub rather than the registry itself. */
  public boolean isMirror() {
    return mirror;
  }

  /** The digest {@code reference} (a tag or digest) resolves to now; empty if the registry will not say. */
  public Optional<Digest> manifestDigest(String reference) {
    return ManifestCheck.digest(transport, path(), reference);
  }

  /**
   * @param ref what the user asked for, named in errors
   * @throws dev.berth.core.error.NotFoundException with dockerd's wording for an unknown tag or repository
   */
  public Manifest manifest(String reference, ImageReference ref) {
    return ManifestFetch.fetch(transport, path(), reference, ref);
  }

  /** A blob's bytes, unverified: the caller checks them against the descriptor. */
  public InputStream blob(Digest digest) {
    return BlobFetch.open(transport, path(), digest);
  }

  public boolean hasBlob(Digest digest) {
    return BlobCheck.exists(transport, path(), digest);
  }

  /**
   * Tries to mount {@code digest} from another repository of this registry; if it cannot, the
   * blob is uploaded from {@code file}. True if mounted.
   */
  public boolean mountOrUpload(Digest digest, String fromPath, Path file, LongConsumer progress) {
    auth.addScope("repository:" + fromPath + ":pull");
    BlobMount.Result m = BlobMount.mount(transport, path(), digest, fromPath);
    if (m.mounted()) {
      return true;
    }
    URI location = m.uploadLocation() != null ? m.uploadLocation() : BlobUpload.start(transport, path());
    BlobUpload.put(transport, location, digest, file, progress);
    return false;
  }

  public void upload(Digest digest, Path file, LongConsumer progress) {
    BlobUpload.put(transport, BlobUpload.start(transport, path()), digest, file, progress);
  }

  public void putManifest(String tag, byte[] content, String mediaType) {
    ManifestUpload.put(transport, path(), tag, content, mediaType);
  }

  private String path() {
    return repository.path();
  }
}
