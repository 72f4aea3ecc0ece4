package dev.berth.core.image;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Images: loading and saving archives, importing root filesystems, naming, listing, removing.
 * Names are resolved Docker's way: a reference first, then a full ID, then a unique ID prefix.
 */
public final class ImageService {

  /**
   * Loads a docker-save archive or an OCI image-layout archive, streamed.
   *
   * @param progress receives human-readable progress lines as work is done
   * @throws dev.berth.core.error.InvalidArgumentException for a malformed archive or a tar entry that escapes
   */
  public List<LoadedImage> load(InputStream archive, Consumer<String> progress) {
    throw new UnsupportedOperationException("todo");
  }

  /**
   * Makes a one-layer image from a root filesystem tar ({@code docker import}).
   *
   * @param tag where to point the new image, or null
   * @param changes Dockerfile instructions applied to the config (CMD, ENTRYPOINT, ENV, EXPOSE,
   *     LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR)
   */
  public ImageId importRootfs(InputStream rootfsTar, ImageReference tag, List<String> changes, String message) {
    throw new UnsupportedOperationException("todo");
  }

  public List<Image> list(ImageFilter filter) {
    throw new UnsupportedOperationException("todo");
  }

  /** @throws dev.berth.core.error.NotFoundException {@code No such image: <name>} */
  public Image find(String nameOrId) {
    throw new UnsupportedOperationException("todo");
  }

  public List<HistoryItem> history(String nameOrId) {
    throw new UnsupportedOperationException("todo");
  }

  /** Points {@code repository:tag} (tag defaults to latest) at the image {@code source} names. */
  public void tag(String source, String repository, String tag) {
    throw new UnsupportedOperationException("todo");
  }

  /** Untags and, once nothing refers to it, deletes ({@code docker rmi}). */
  public List<ImageDeletion> remove(String nameOrId, boolean force, boolean noPrune) {
    throw new UnsupportedOperationException("todo");
  }

  /** Writes a docker-save archive (also a valid OCI image layout) of the named images. */
  public void save(List<String> namesOrIds, OutputStream out) {
    throw new UnsupportedOperationException("todo");
  }

  /** The extracted layer directories of an image, topmost first, for an overlay's lowerdir. */
  public List<Path> layerDirs(ImageId id) {
    throw new UnsupportedOperationException("todo");
  }
}
