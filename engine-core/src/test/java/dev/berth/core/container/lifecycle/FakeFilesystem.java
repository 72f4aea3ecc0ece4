package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.fs.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Container files in a plain directory, for tests: no overlay, no mounts. Each container's
 * directory is {@code <root>/<id>} and its "mounted" root filesystem an empty directory in it, so
 * the real spec building can read the image's passwd (none: root) and write the /etc files there.
 * It writes each call that changes something to the journal ({@code fs.mount}, {@code fs.unmount},
 * {@code fs.destroy}) and keeps what is mounted and what was destroyed.
 */
final class FakeFilesystem implements ContainerFilesystem {

  private final Path root;
  private final List<String> journal;
  private final Set<ContainerId> mounted = new HashSet<>();
  private final Set<ContainerId> destroyed = new HashSet<>();
  private final Map<String, RuntimeException> failures = new HashMap<>();
  private Set<ContainerId> keptAtLeftovers;

  FakeFilesystem(Path root, List<String> journal) {
    this.root = root;
    this.journal = journal;
  }

  /** The next call of {@code call} ({@code mount}, {@code unmount}, {@code destroy}) throws {@code e}. */
  synchronized void failAt(String call, RuntimeException e) {
    failures.put(call, e);
  }

  synchronized boolean isMounted(ContainerId id) {
    return mounted.contains(id);
  }

  synchronized boolean destroyed(ContainerId id) {
    return destroyed.contains(id);
  }

  /** The containers {@link #removeLeftovers} was told to keep; null if it was not called. */
  synchronized Set<ContainerId> keptAtLeftovers() {
    return keptAtLeftovers;
  }

  @Override
  public Path dir(ContainerId id) {
    return root.resolve(id.hex());
  }

  @Override
  public Path logPath(ContainerId id) {
    return dir(id).resolve("ctr.log");
  }

  @Override
  public synchronized Path mount(Container c) {
    call("mount");
    Path rootfs = dir(c.id()).resolve("rootfs");
    try {
      Files.createDirectories(rootfs);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    mounted.add(c.id());
    return rootfs;
  }

  @Override
  public synchronized Set<ContainerId> mounted() {
    return Set.copyOf(mounted);
  }

  @Override
  public synchronized void unmount(ContainerId id) {
    call("unmount");
    mounted.remove(id);
  }

  @Override
  public long upperSize(ContainerId id) {
    return 0;
  }

  /** Journals {@code destroy} as it is called; the files go when the deletion it returns runs. */
  @Override
  public synchronized Runnable setAside(ContainerId id) {
    call("destroy");
    mounted.remove(id);
    return () -> {
      synchronized (this) {
        FileTrees.delete(dir(id));
        destroyed.add(id);
      }
    };
  }

  @Override
  public synchronized void removeLeftovers(Set<ContainerId> known) {
    call("removeLeftovers");
    keptAtLeftovers = Set.copyOf(known);
  }

  private void call(String call) {
    journal.add("fs." + call);
    RuntimeException failure = failures.remove(call);
    if (failure != null) {
      throw failure;
    }
  }
}
