package dev.berth.store.container;

import dev.berth.core.container.model.ProcessOptions;
import java.util.List;
import java.util.Map;

/**
 * {@code hostConfig.process} of {@code containers.config_json}: a {@link ProcessOptions}. Absent
 * from rows written before berth honoured these options (issue 11); they read as none.
 */
record ProcessDoc(List<UlimitDoc> ulimits, Map<String, String> sysctls, List<DeviceDoc> devices,
    List<String> deviceCgroupRules, List<String> groupAdd, int oomScoreAdj) {

  static ProcessDoc of(ProcessOptions p) {
    return new ProcessDoc(p.ulimits().stream().map(u -> new UlimitDoc(u.name(), u.soft(), u.hard())).toList(),
        p.sysctls(), p.devices().stream()
            .map(d -> new DeviceDoc(d.pathOnHost(), d.pathInContainer(), d.cgroupPermissions())).toList(),
        p.deviceCgroupRules(), p.groupAdd(), p.oomScoreAdj());
  }

  ProcessOptions toCore() {
    return new ProcessOptions(
        ulimits == null ? null : ulimits.stream().map(u -> new ProcessOptions.Ulimit(u.name, u.soft, u.hard)).toList(),
        sysctls,
        devices == null ? null : devices.stream()
            .map(d -> new ProcessOptions.DeviceMapping(d.pathOnHost, d.pathInContainer, d.cgroupPermissions)).toList(),
        deviceCgroupRules, groupAdd, oomScoreAdj);
  }

  record UlimitDoc(String name, long soft, long hard) {}

  record DeviceDoc(String pathOnHost, String pathInContainer, String cgroupPermissions) {}
}
