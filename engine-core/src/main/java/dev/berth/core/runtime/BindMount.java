package dev.berth.core.runtime;

import java.nio.file.Path;

/** A host file or directory bound into the container, e.g. the generated /etc/hosts. */
public record BindMount(Path source, String destination, boolean readOnly) {}
