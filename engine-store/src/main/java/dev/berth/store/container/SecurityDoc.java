package dev.berth.store.container;

import dev.berth.core.container.model.SecurityConfig;
import dev.berth.core.container.model.SecurityOptions;
import dev.berth.store.Documents;
import java.util.List;

/**
 * {@code hostConfig.security} of {@code containers.config_json}: a {@link SecurityConfig}. Absent
 * from rows written before berth honoured these options (issue 10), whose containers ran in the
 * host's cgroup namespace; {@code options} is null on those, and the core reads it from
 * {@code securityOpt}. {@code maskedPaths} and {@code readonlyPaths} keep null (Docker's defaults)
 * apart from empty (nothing).
 */
record SecurityDoc(List<String> securityOpt, String cgroupnsMode, List<String> maskedPaths,
    List<String> readonlyPaths, OptionsDoc options) {

  static SecurityDoc of(SecurityConfig s) {
    return new SecurityDoc(s.securityOpt(), s.cgroupnsMode(), s.maskedPaths(), s.readonlyPaths(),
        Documents.map(s.options(), OptionsDoc::of));
  }

  SecurityConfig toCore() {
    return new SecurityConfig(securityOpt, cgroupnsMode, maskedPaths, readonlyPaths,
        Documents.map(options, OptionsDoc::toCore));
  }

  /** {@link SecurityOptions}, parsed at create; {@code seccompProfile} may be a whole profile's JSON text. */
  record OptionsDoc(boolean noNewPrivileges, String seccompProfile, String appArmorProfile, List<String> labels,
      Boolean writableCgroups) {

    static OptionsDoc of(SecurityOptions o) {
      return new OptionsDoc(o.noNewPrivileges(), o.seccompProfile(), o.appArmorProfile(), o.labels(),
          o.writableCgroups());
    }

    SecurityOptions toCore() {
      return new SecurityOptions(noNewPrivileges, seccompProfile, appArmorProfile, labels, writableCgroups);
    }
  }
}
