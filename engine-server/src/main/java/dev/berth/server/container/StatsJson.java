package dev.berth.server.container;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Wire shapes of {@code GET /containers/{id}/stats} (moby api/types/container StatsResponse);
 * field names are the spec's. A container that is not running has empty pids and memory stats.
 */
final class StatsJson {

  private StatsJson() {}

  /**
   * ContainerStatsResponse.
   *
   * @param networks absent when the container has no interfaces of its own (host, none, not running)
   */
  record Stats(
      String name,
      String id,
      String read,
      String preread,
      PidsStats pids_stats,
      BlkioStats blkio_stats,
      int num_procs,
      StorageStats storage_stats,
      CpuStats cpu_stats,
      CpuStats precpu_stats,
      MemoryStats memory_stats,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, NetworkStats> networks) {}

  /** @param limit absent when unlimited */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PidsStats(Long current, Long limit) {}

  /**
   * On cgroup v1 every list is there ({@code []} when nothing is counted), on v2 only
   * {@code io_service_bytes_recursive} (null when empty), and all are null for a container that does
   * not run: as dockerd's statsV1 and statsV2 fill them.
   */
  record BlkioStats(
      List<BlkioStatEntry> io_service_bytes_recursive,
      List<BlkioStatEntry> io_serviced_recursive,
      List<BlkioStatEntry> io_queue_recursive,
      List<BlkioStatEntry> io_service_time_recursive,
      List<BlkioStatEntry> io_wait_time_recursive,
      List<BlkioStatEntry> io_merged_recursive,
      List<BlkioStatEntry> io_time_recursive,
      List<BlkioStatEntry> sectors_recursive) {

    static final BlkioStats NONE = new BlkioStats(null, null, null, null, null, null, null, null);
  }

  record BlkioStatEntry(long major, long minor, String op, long value) {}

  /** ContainerNetworkStats (the Windows-only endpoint_id and instance_id are never sent). */
  record NetworkStats(long rx_bytes, long rx_packets, long rx_errors, long rx_dropped, long tx_bytes,
      long tx_packets, long tx_errors, long tx_dropped) {}

  /** Windows only: always empty. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record StorageStats(Long read_count_normalized, Long read_size_bytes, Long write_count_normalized,
      Long write_size_bytes) {

    static final StorageStats NONE = new StorageStats(null, null, null, null);
  }

  /** @param system_cpu_usage with {@code online_cpus}, absent for a container that is not running */
  record CpuStats(
      CpuUsage cpu_usage,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long system_cpu_usage,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer online_cpus,
      ThrottlingData throttling_data) {}

  /** @param percpu_usage absent where the kernel does not count per CPU (cgroup v2) */
  record CpuUsage(
      long total_usage,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<Long> percpu_usage,
      long usage_in_kernelmode,
      long usage_in_usermode) {}

  record ThrottlingData(long periods, long throttled_periods, long throttled_time) {}

  /** @param max_usage absent where the kernel keeps no peak */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record MemoryStats(Long usage, Long max_usage, Map<String, Long> stats, Long limit) {

    static final MemoryStats NONE = new MemoryStats(null, null, null, null);
  }
}
