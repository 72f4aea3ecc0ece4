package dev.berth.core.container.fs;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerRepository;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;
import dev.berth.core.volume.VolumeUsage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which containers reference which volumes, from the container records. */
public final class ContainerVolumeUsage implements VolumeUsage {

  private final ContainerRepository containers;

  public ContainerVolumeUsage(ContainerRepository containers) {
    this.containers = containers;
  }

  @Override
  public Map<String, List<String>> references() {
    return collect(false);
  }

  @Override
  public Map<String, List<String>> running() {
    return collect(true);
  }

  private Map<String, List<String>> collect(boolean runningOnly) {
    var out = new LinkedHashMap<String, List<String>>();
    for (Container c : containers.list()) {
      if (runningOnly && !c.state().isRunning()) {
        continue;
      }
      for (MountPoint m : c.mounts()) {
        if (m.type() == MountType.VOLUME && m.name() != null) {
          List<String> ids = out.computeIfAbsent(m.name(), k -> new ArrayList<>());
          if (!ids.contains(c.id().hex())) {
            ids.add(c.id().hex());
          }
        }
      }
    }
    return out;
  }
}
