package dev.berth.core.container.lifecycle;

import dev.berth.core.container.model.Container;
import dev.berth.core.container.model.ContainerId;
import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountType;
import dev.berth.core.runtime.BindMount;
import dev.berth.core.runtime.RunMount;
import dev.berth.core.runtime.TmpfsMount;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Volumes without a volume service, for tests: a container's mount points become runtime mounts
 * as they are, with no directory made or mounted. It writes each call to the journal ({@code
 * volumes.acquire}, {@code volumes.announce mount}, ...) and keeps which containers hold their
 * volumes and which anonymous volumes were removed.
 */
final class FakeVolumes implements Volumes {

  private final List<String> journal;
  private final Set<ContainerId> held = new HashSet<>();
  private final List<String> removed = new ArrayList<>();
  private final Map<String, RuntimeException> failures = new HashMap<>();

  FakeVolumes(List<String> journal) {
    this.journal = journal;
  }

  /** The next call of {@code call} ({@code acquire}, {@code release}, ...) throws {@code e}. */
  synchronized void failAt(String call, RuntimeException e) {
    failures.put(call, e);
  }

  /** Whether the container holds its volumes (acquired and not released). */
  synchronized boolean holds(ContainerId id) {
    return held.contains(id);
  }

  /** The anonymous volumes removed with their containers, by name. */
  synchronized List<String> removedVolumes() {
    return List.copyOf(removed);
  }

  @Override
  public synchronized List<RunMount> acquire(Container c) {
    call("acquire");
    held.add(c.id());
    var out = new ArrayList<RunMount>();
    for (MountPoint m : c.mounts()) {
      out.add(m.type() == MountType.TMPFS ? new TmpfsMount(m.destination(), List.of())
          : new BindMount(Path.of(m.source()), m.destination(), !m.rw()));
    }
    return out;
  }

  @Override
  public synchronized void release(Container c) {
    call("release");
    held.remove(c.id());
  }

  @Override
  public synchronized void announce(Container c, boolean mounted) {
    call("announce " + (mounted ? "mount" : "unmount"));
  }

  @Override
  public synchronized void removeAnonymous(Container c) {
    call("removeAnonymous");
    c.mounts().stream().filter(m -> m.type() == MountType.VOLUME && m.anonymous()).forEach(m -> removed.add(m.name()));
  }

  @Override
  public synchronized void unmountUnused() {
    call("unmountUnused");
  }

  private void call(String call) {
    journal.add("volumes." + call);
    RuntimeException failure = failures.remove(call.split(" ")[0]);
    if (failure != null) {
      throw failure;
    }
  }
}
