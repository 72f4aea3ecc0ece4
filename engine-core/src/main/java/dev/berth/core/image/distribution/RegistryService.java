package dev.berth.core.image.distribution;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.events.EngineEvent;
import dev.berth.core.events.EventBus;
import dev.berth.core.image.BlobStore;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageNames;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRepository;
import dev.berth.core.image.LayerStore;
import dev.berth.core.image.Platform;
import dev.berth.core.image.Scratch;
import dev.berth.core.image.registry.Credentials;
import dev.berth.core.image.registry.Registries;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Images and registries: {@code docker pull}, {@code docker push}, {@code docker login}.
 * Pulls and pushes run concurrently with each other and with loads; like them they hold
 * {@link LayerStore#adding} while they register layers, so removals never collect their layers.
 */
public final class RegistryService {

  private final ImageNames names;
  private final Registries registries;
  private final ImagePull pull;
  private final ImagePush push;

  private final EventBus events;

  public RegistryService(ImageRepository repo, BlobStore blobs, LayerStore layers, Scratch scratch,
      Registries registries, Clock clock, EventBus events) {
    this(repo, blobs, layers, scratch, registries, clock, events, Duration.ofSeconds(1));
  }

  /** With {@code retryTick} as the second of a download retry's countdown (tests shorten it). */
  public RegistryService(ImageRepository repo, BlobStore blobs, LayerStore layers, Scratch scratch,
      Registries registries, Clock clock, EventBus events, Duration retryTick) {
    this.events = events;
    this.names = new ImageNames(repo);
    this.registries = registries;
    this.pull = new ImagePull(repo, blobs, layers, registries, clock, retryTick);
    this.push = new ImagePush(repo, blobs, layers, scratch, registries, clock);
  }

  public Registries registries() {
    return registries;
  }

  /**
   * Pulls {@code ref} (a tag or digest reference; a bare repository means {@code :latest}).
   *
   * @param platform the platform to choose from an index, null for this machine's
   * @param progress receives dockerd's progress lines as the pull goes; called from several threads
   * @throws dev.berth.core.error.NotFoundException with dockerd's wording for an unknown tag or repository
   */
  public ImageId pull(ImageReference ref, Platform platform, Credentials credentials, Consumer<Progress> progress) {
    ImageReference full = ref.withDefaultTag();
    ImageId id = pull.pull(full, platform, credentials, progress);
    // dockerd names the pulled reference as the actor of a pull event.
    events.publish(EngineEvent.Type.IMAGE, "pull", full.familiar(), Map.of("name", full.familiar()));
    return id;
  }

  /** The manifest {@code ref} names in its registry (a bare repository means {@code :latest}). */
  public Distribution distribution(ImageReference ref, Credentials credentials) {
    return pull.inspect(ref.withDefaultTag(), credentials);
  }

  /**
   * Pushes the image {@code name} names to its registry, under {@code tag} (or, with no tag, every
   * tag of that repository, as dockerd does).
   *
   * @throws dev.berth.core.error.NotFoundException {@code An image does not exist locally with the tag: <name>}
   */
  public void push(String name, String tag, Credentials credentials, Consumer<Progress> progress) {
    ImageReference ref = ImageReference.parse(name);
    if (ref.digest() != null) {
      throw new InvalidArgumentException("cannot push a digest reference");
    }
    if (tag != null && !tag.isEmpty()) {
      ref = ref.withTag(tag);
    }
    push.push(ref, credentials, progress);
    events.publish(EngineEvent.Type.IMAGE, "push", ref.familiar(), Map.of("name", ref.familiar()));
  }

  /** {@code docker login}: checks the credentials against the registry; nothing is stored here. */
  public void login(String serverAddress, Credentials credentials) {
    registries.login(serverAddress, credentials);
  }

  /** The image a name resolves to, for callers that need to check before streaming. */
  Image find(String nameOrId) {
    return names.find(nameOrId);
  }
}
