package dev.berth.core.container.fs;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerConfig;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.MountType;
import dev.berth.core.container.model.StorageOptions;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.fs.GoPath;
import dev.berth.core.fs.RootedPath;
import dev.berth.core.os.MountOptions;
import dev.berth.core.runtime.BindMount;
import dev.berth.core.runtime.RunMount;
import dev.berth.core.runtime.TmpfsMount;
import dev.berth.core.volume.Volume;
import dev.berth.core.volume.VolumeName;
import dev.berth.core.volume.VolumeService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A container's mounts: decided at create in moby's order (volumes-from, then binds, then
 * mounts, then the config's VOLUMEs as anonymous volumes), filled from the image at create
 * (copy-up), and turned into runtime mounts at each start.
 */
public final class ContainerMounts {

  /** dockerd's defaults for every tmpfs before the user's options (moby oci_linux withMounts). */
  private static final List<String> TMPFS_DEFAULTS = List.of("noexec", "nosuid", "nodev", "rprivate");

  private final VolumeService volumes;
  private final MountParser parser;

  public ContainerMounts(VolumeService volumes, MountParser parser) {
    this.volumes = volumes;
    this.parser = parser;
  }

  public VolumeService volumes() {
    return volumes;
  }

  /** The mounts of a new container and the anonymous volumes made for it (to remove if create fails). */
  public record Plan(List<MountPoint> mounts, List<VolumeName> createdAnonymous) {}

  /**
   * Decides what a new container mounts, creating the volumes it names. Call holding
   * {@link VolumeService#locked}, and insert the container before releasing it.
   *
   * @param others finds a {@code --volumes-from} container by reference
   * @throws InvalidArgumentException for bad specs, with moby's words
   */
  public Plan plan(ContainerConfig config, StorageOptions storage, Function<String, Container> others) {
    var points = new LinkedHashMap<String, MountPoint>();
    var created = new ArrayList<VolumeName>();
    try {
      for (String tmpfs : storage.tmpfs().keySet()) {
        MountParser.validateDestination(tmpfs);
        checkTmpfs(storage.tmpfs().get(tmpfs));
      }
      for (String spec : storage.volumesFrom()) {
        var from = MountParser.parseVolumesFrom(spec);
        Container other;
        try {
          other = others.apply(from.container());
        } catch (NotFoundException e) {
          throw new InvalidArgumentException(e.getMessage(), e);
        }
        for (MountPoint m : other.mounts()) {
          points.put(m.destination(), m.inherited(from.writable()));
        }
      }
      var binds = new HashSet<String>();
      for (String raw : storage.binds()) {
        MountPoint m = parser.parseBind(raw);
        if (binds.contains(m.destination()) || storage.tmpfs().containsKey(m.destination())) {
          throw duplicate(m.destination());
        }
        if (m.type() == MountType.VOLUME) {
          m = withVolume(m, volume(m.name(), storage.volumeDriver(), Map.of(), Map.of(), created));
        }
        binds.add(m.destination());
        points.put(m.destination(), m);
      }
      for (MountRequest r : storage.mounts()) {
        MountPoint m = parser.parseMount(r);
        if (binds.contains(m.destination())) {
          throw duplicate(r.target());
        }
        if (m.type() == MountType.VOLUME) {
          var o = r.volumeOptions();
          Volume v = o == null ? volume(m.name(), "", Map.of(), Map.of(), created)
              : volume(m.name(), o.driverName(), o.driverOptions(), o.labels(), created);
          m = withVolume(m, v);
        }
        binds.add(m.destination());
        points.put(m.destination(), m);
      }
      for (String spec : config.volumes()) {
        // dockerd only fails at start for these (the runtime refuses a relative destination).
        MountParser.validateDestination(spec);
        String destination = GoPath.clean(spec);
        if (points.containsKey(destination) || storage.tmpfs().containsKey(destination)) {
          continue; // already mounted by the client: not an error, the image may declare it
        }
        Volume v = volume(null, storage.volumeDriver(), Map.of(), Map.of(), created);
        points.put(destination, new MountPoint(MountType.VOLUME, v.name().value(),
            volumes.dataDir(v.name()).toString(), destination, v.driver(), "", true, "", true, true, false, false,
            null));
      }
      return new Plan(List.copyOf(points.values()), List.copyOf(created));
    } catch (RuntimeException e) {
      volumes.removeIfUnused(created);
      throw e;
    }
  }

  /**
   * dockerd's copy-up at create: each volume that copies data gets the image's content at its
   * destination if the volume is empty. An image VOLUME over a file is refused, as dockerd does.
   */
  public void populate(Container c, Path rootfs) {
    for (MountPoint m : c.mounts()) {
      if (m.type() != MountType.VOLUME || !m.copyData()) {
        continue;
      }
      Path source = RootedPath.resolve(rootfs, m.destination());
      if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
        if (m.anonymous()) {
          throw new InvalidArgumentException("cannot mount volume over existing file, file exists " + source);
        }
        continue;
      }
      volumes.populate(new VolumeName(m.name()), source, c.id().hex());
    }
  }

  /** Whether create must mount the root filesystem to copy image content into volumes. */
  public boolean needsPopulation(Container c) {
    return c.mounts().stream().anyMatch(m -> m.type() == MountType.VOLUME && m.copyData());
  }

  /**
   * The runtime mounts for a start, parents before children (moby sortMounts): volumes are
   * acquired (mounted, if they have options) and missing {@code -v} bind sources made.
   */
  public List<RunMount> acquire(Container c) {
    var out = new ArrayList<RunMount>();
    try {
      for (MountPoint m : c.mounts()) {
        out.add(switch (m.type()) {
          case VOLUME -> new BindMount(volumes.acquire(new VolumeName(m.name()), c.id().hex()), m.destination(),
              !m.rw(), m.propagation(), true);
          case BIND -> new BindMount(bindSource(m), m.destination(), !m.rw(), m.propagation(), !m.nonRecursive());
          case TMPFS -> new TmpfsMount(m.destination(), tmpfsOptions(m.tmpfsOptions()));
        });
      }
    } catch (RuntimeException e) {
      release(c);
      throw e;
    }
    c.hostConfig().storage().tmpfs().forEach((dest, data) -> out.add(new TmpfsMount(dest, tmpfsOptions(data))));
    out.sort(Comparator.comparingInt(m -> depth(m.destination())));
    return out;
  }

  /** The volume events of a start ({@code mount}) or of the end of a run ({@code unmount}), as dockerd's. */
  public void announce(Container c, boolean mounted) {
    for (MountPoint m : c.mounts()) {
      if (m.type() == MountType.VOLUME) {
        var n = new VolumeName(m.name());
        if (mounted) {
          volumes.announceMount(n, c.id().hex(), m.destination(), m.rw(), m.propagation());
        } else {
          volumes.announceUnmount(n, c.id().hex());
        }
      }
    }
  }

  /** Undoes {@link #acquire}: volumes with options are unmounted by their last user. */
  public void release(Container c) {
    for (MountPoint m : c.mounts()) {
      if (m.type() == MountType.VOLUME) {
        volumes.release(new VolumeName(m.name()), c.id().hex());
      }
    }
  }

  /**
   * {@code docker rm -v}: the container's anonymous volumes, unless another container uses them.
   * Call after the container's record is gone.
   */
  public void removeAnonymous(Container c) {
    volumes.removeIfUnused(c.mounts().stream()
        .filter(m -> m.type() == MountType.VOLUME && m.anonymous())
        .map(m -> new VolumeName(m.name())).toList());
  }

  private MountPoint withVolume(MountPoint m, Volume v) {
    MountPoint out = m.withVolume(v.name().value(), volumes.dataDir(v.name()).toString());
    // dockerd's setBindModeIfNull: local volumes report mode "z" when none was given.
    return out.mode().isEmpty() ? new MountPoint(out.type(), out.name(), out.source(), out.destination(), out.driver(),
        "z", out.rw(), out.propagation(), out.anonymous(), out.copyData(), out.nonRecursive(), out.createSource(),
        out.tmpfsOptions()) : out;
  }

  private Volume volume(String name, String driver, Map<String, String> options, Map<String, String> labels,
      List<VolumeName> created) {
    boolean exists = name != null && volumes.find(name).isPresent();
    Volume v = volumes.create(name, driver, options, labels);
    if (!exists && v.anonymous()) {
      created.add(v.name());
    }
    return v;
  }

  private static Path bindSource(MountPoint m) {
    Path source = Path.of(m.source());
    if (!Files.exists(source)) {
      if (!m.createSource()) {
        throw new InvalidArgumentException("invalid mount config for type \"bind\": bind source path does not exist: "
            + m.source());
      }
      try {
        // dockerd makes a missing -v source as a directory, as root, 0755.
        Files.createDirectories(source);
      } catch (IOException e) {
        throw new UncheckedIOException("error while creating mount source path '" + m.source() + "'", e);
      }
    }
    return source;
  }

  private static void checkTmpfs(String data) {
    tmpfsOptions(data);
  }

  private static List<String> tmpfsOptions(String data) {
    var all = new ArrayList<>(TMPFS_DEFAULTS);
    if (data != null && !data.isEmpty()) {
      all.addAll(List.of(data.split(",")));
    }
    try {
      return MountOptions.mergeTmpfs(all);
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException(e.getMessage(), e);
    }
  }

  private static int depth(String destination) {
    return (int) GoPath.clean(destination).chars().filter(ch -> ch == '/').count();
  }

  private static InvalidArgumentException duplicate(String destination) {
    return new InvalidArgumentException("Duplicate mount point: " + destination);
  }
}
