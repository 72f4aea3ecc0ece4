package dev.berth.core.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerId;
import dev.berth.core.os.Processes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A monitor's end is told to the listeners, however it ends: conmon killed before its exit file says nothing else. */
class MonitorWatcherTest {

  private static final ContainerId A = new ContainerId("a".repeat(64));
  private static final ContainerId B = new ContainerId("b".repeat(64));

  private static int sleeper() {
    return Processes.spawn(Path.of("/bin/sleep"), List.of("sleep", "60"), List.of(), Map.of());
  }

  private static MonitorProcess monitor(int pid) {
    return new MonitorProcess(pid, pid, Processes.startTime(pid).orElseThrow());
  }

  @Test
  void aKilledMonitorIsReportedAndOnlyThatOne() throws Exception {
    var ended = new LinkedBlockingQueue<ContainerId>();
    int a = sleeper();
    int b = sleeper();
    try (var watcher = new MonitorWatcher()) {
      watcher.addListener(ended::add);
      watcher.watch(A, monitor(a));
      watcher.watch(B, monitor(b));
      Processes.kill(a, 9);
      assertEquals(A, ended.poll(10, TimeUnit.SECONDS));
      assertNull(ended.poll(300, TimeUnit.MILLISECONDS), "the other monitor runs on");
      Processes.kill(b, 9);
      assertEquals(B, ended.poll(10, TimeUnit.SECONDS));
    } finally {
      Processes.kill(a, 9);
      Processes.kill(b, 9);
      Processes.waitFor(a);
      Processes.waitFor(b);
    }
  }

  @Test
  void aMonitorGoneOrReplacedBeforeItIsWatchedIsReportedAtOnce() throws Exception {
    var ended = new LinkedBlockingQueue<ContainerId>();
    int pid = sleeper();
    boolean reaped = false;
    MonitorProcess m = monitor(pid);
    try (var watcher = new MonitorWatcher()) {
      watcher.addListener(ended::add);
      // The pid now names a process that started at another time: not the monitor.
      watcher.watch(A, new MonitorProcess(pid, pid, m.monitorStartTime() - 1));
      assertEquals(A, ended.poll(1, TimeUnit.SECONDS));
      Processes.kill(pid, 9);
      Processes.waitFor(pid);
      reaped = true;
      watcher.watch(B, m);
      assertEquals(B, ended.poll(1, TimeUnit.SECONDS));
    } finally {
      if (!reaped) {
        // Not yet reaped, the pid is still this child's.
        Processes.kill(pid, 9);
        Processes.waitFor(pid);
      }
    }
  }

  @Test
  void aWatcherThatWatchesNothingStartsNoThread() {
    long before = watcherThreads();
    try (var watcher = new MonitorWatcher()) {
      watcher.addListener(id -> { });
      assertEquals(before, watcherThreads(), "a thread was started to watch no monitor");
    }
  }

  private static long watcherThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("monitor-watcher")).count();
  }
}
