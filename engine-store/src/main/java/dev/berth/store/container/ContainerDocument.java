package dev.berth.store.container;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.ContainerName;
import dev.berth.core.container.model.ContainerState;
import dev.berth.core.error.InternalException;
import dev.berth.core.image.ImageId;
import dev.berth.store.Documents;
import java.time.Instant;
import java.util.List;

/**
 * What {@code containers.config_json} holds: everything of a container that is neither queried
 * nor part of its state. The field names are the stored ones (the fixtures under
 * {@code src/test/resources/containers/} are rows as berth wrote them) and must not change; a core
 * record's field renamed or added shows as a compile error in the mapping here, where it is
 * decided how the stored field reads. A field added to a document is absent from older rows and
 * reads as null (zero, false), which the core record's constructor turns into its default; a
 * change of meaning needs a new {@code version} and a conversion on read.
 */
record ContainerDocument(int version, ConfigDoc config, HostConfigDoc hostConfig, List<MountPointDoc> mounts,
    NetworkingDoc networking) {

  static final int CURRENT = 1;

  static ContainerDocument of(Container c) {
    return new ContainerDocument(CURRENT, Documents.map(c.config(), ConfigDoc::of),
        Documents.map(c.hostConfig(), HostConfigDoc::of),
        Documents.mapEach(c.mounts(), MountPointDoc::of), Documents.map(c.networking(), NetworkingDoc::of));
  }

  ContainerDocument requireReadable(String containerId) {
    if (version != CURRENT) {
      throw new InternalException("container " + containerId + " has config version " + version
          + ", this berth reads only " + CURRENT);
    }
    return this;
  }

  /** The container these fields and its columns make. */
  Container toContainer(ContainerId id, ContainerName name, Instant created, ImageId imageId, ContainerState state,
      int restartCount) {
    // Mounts and networking are null in rows written before berth had them: none, and no network.
    return new Container(id, name, created, imageId, Documents.map(config, ConfigDoc::toCore),
        Documents.map(hostConfig, HostConfigDoc::toCore), state, restartCount,
        Documents.mapEach(mounts, MountPointDoc::toCore), Documents.map(networking, NetworkingDoc::toCore));
  }
}
