package dev.berth.core.runtime;

import java.nio.file.Path;

/**
 * A host file or directory bound into the container: a volume, a {@code -v} bind, the generated
 * /etc/hosts.
 *
 * @param propagation {@code rprivate}, {@code rshared}, ...; empty to leave the runtime's default
 * @param recursive {@code rbind} (submounts too) rather than {@code bind}
 */
public record BindMount(Path source, String destination, boolean readOnly, String propagation, boolean recursive)
    implements RunMount {

  public BindMount {
    propagation = propagation == null ? "" : propagation;
  }

  /** A recursive, rprivate bind, as dockerd binds its generated files. */
  public BindMount(Path source, String destination, boolean readOnly) {
    this(source, destination, readOnly, "rprivate", true);
  }
}
