package dev.berth.core.runtime;

/** Something mounted into a container besides its root filesystem and the defaults (/proc, /dev, ...). */
public sealed interface RunMount permits BindMount, TmpfsMount {

  /** Where it appears in the container, an absolute clean path. */
  String destination();
}
