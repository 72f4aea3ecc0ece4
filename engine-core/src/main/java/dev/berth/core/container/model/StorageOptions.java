package dev.berth.core.container.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The storage part of a create request's HostConfig, as given; inspect echoes it. The mounts it
 * leads to are the container's {@link MountPoint}s.
 *
 * @param binds {@code -v} specs: {@code name:/path[:mode]}, {@code /host:/path[:mode]}; empty if none
 * @param mounts {@code --mount} specs
 * @param tmpfs {@code --tmpfs}: destination to mount options, in the order given
 * @param volumesFrom {@code container[:ro|rw]}
 * @param shmSize bytes of /dev/shm; 0 for dockerd's default
 * @param volumeDriver the driver for volumes {@code -v} names; empty for local
 */
public record StorageOptions(List<String> binds, List<MountRequest> mounts, Map<String, String> tmpfs,
    List<String> volumesFrom, long shmSize, String volumeDriver) {

  public static final StorageOptions NONE = new StorageOptions(null, null, null, null, 0, null);

  public StorageOptions {
    binds = binds == null ? List.of() : List.copyOf(binds);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    tmpfs = tmpfs == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tmpfs));
    volumesFrom = volumesFrom == null ? List.of() : List.copyOf(volumesFrom);
    volumeDriver = volumeDriver == null ? "" : volumeDriver;
  }

  public StorageOptions withShmSize(long bytes) {
    return new StorageOptions(binds, mounts, tmpfs, volumesFrom, bytes, volumeDriver);
  }
}
