package dev.berth.store.container;

import dev.berth.core.container.model.NamespaceModes;
import dev.berth.store.Documents;
import java.util.Map;

/**
 * {@code hostConfig.namespaces} of {@code containers.config_json}: {@link NamespaceModes}. Absent
 * from rows written before berth honoured these fields (issue 11), whose containers ran with
 * namespaces of their own and no annotations: they read as {@link NamespaceModes#NONE}.
 */
record NamespacesDoc(String pidMode, String ipcMode, String utsMode, String usernsMode, String cgroup,
    String isolation, Map<String, String> annotations) {

  static NamespacesDoc of(NamespaceModes n) {
    return new NamespacesDoc(n.pidMode(), n.ipcMode(), n.utsMode(), n.usernsMode(), n.cgroup(), n.isolation(),
        Documents.sorted(n.annotations()));
  }

  NamespaceModes toCore() {
    return new NamespaceModes(pidMode, ipcMode, utsMode, usernsMode, cgroup, isolation, annotations);
  }
}
