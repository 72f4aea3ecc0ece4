package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK AOT cache ./berthd and the installer make (packaging/common.sh, train_aot_cache): its
 * training run (dev.berth.server.AotTraining) runs containers of its own, as {@code docker run --rm}
 * and {@code docker run -d} with {@code docker exec} do, so the cache holds those paths too; it must leave nothing of them on the host, and the
 * cache must load with berthd's flags.
 */
class AotCacheIT {

  /**
   * Classes berthd loads only once a container has been attached to, waited for and has exited,
   * and once a process has been executed in one and its logs read.
   */
  private static final List<String> RUN_PATH = List.of("dev.berth.core.container.attach.AttachSession",
      "dev.berth.core.container.lifecycle.ContainerWaiters$Waiter", "dev.berth.core.container.model.ExitStatus",
      "dev.berth.core.os.ContainerSpawn$Spawned", "dev.berth.core.logs.LogQuery");

  @Test
  void theTrainingRunsContainersAndLeavesNothingOfThemBehind(@TempDir Path dir) throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "AOT caches are made with JDK 25 and later");
    Path cache = dir.resolve("berthd.aot");
    List<String> scratchBefore = scratchDirs();

    var training = bash("berthd_jvm_flags; train_aot_cache \"$2\" \"$3\"", BerthDaemon.JAR.toString(), cache.toString());
    assertEquals(0, training.exit, training.output);
    assertTrue(Files.size(cache) > 0, training.output);
    assertFalse(Files.exists(dir.resolve("berthd.aot.failed")), training.output);

    // The cache loads with berthd's flags, and a start with it finds the run path's classes in it.
    var help = bash("berthd_jvm_flags; \"$JAVA_HOME/bin/java\" \"${BERTHD_JVM_FLAGS[@]}\" -XX:AOTCache=\"$3\""
        + " -Xlog:aot=error -Xlog:class+load=info:stdout -cp \"$2\" dev.berth.server.Main --help",
        BerthDaemon.JAR.toString(), cache.toString());
    assertEquals(0, help.exit, help.output);
    for (String cls : RUN_PATH) {
      assertTrue(help.output.contains(" " + cls + " source: shared objects file"), cls + " is not in the cache");
    }

    assertEquals(scratchBefore, scratchDirs(), "training directories left in /tmp");
    assertEquals(List.of(), processesNaming("/tmp/berth-aot."), "processes of the training left");
    assertEquals(List.of(), Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(m -> m.contains("berth-aot")).toList(), "mounts of the training left");
    assertEquals(List.of(), trainingCgroups(), "cgroups of the training left");
  }

  private record Result(int exit, String output) {}

  /** {@code script} after sourcing packaging/common.sh, with this JDK; $2 and on are {@code args}. */
  private static Result bash(String script, String... args) throws IOException, InterruptedException {
    var cmd = new ArrayList<>(List.of("bash", "-c", ". \"$1\"; " + script, "bash", BerthDaemon.COMMON.toString()));
    cmd.addAll(List.of(args));
    var pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private static List<String> scratchDirs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("/tmp"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("berth-aot.")).sorted().toList();
    }
  }

  private static List<String> processesNaming(String text) throws IOException {
    var out = new ArrayList<String>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(text)) {
            out.add(p.getFileName() + ": " + cmd);
          }
        } catch (IOException gone) {
          // exited meanwhile
        }
      }
    }
    return out;
  }

  private static List<Path> trainingCgroups() throws IOException {
    var out = new ArrayList<Path>();
    try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
      for (Path h : hierarchies.filter(Files::isDirectory).toList()) {
        try (Stream<Path> s = Files.list(h)) {
          s.filter(p -> p.getFileName().toString().startsWith("berth-aot-training-")).forEach(out::add);
        }
      }
    }
    return out;
  }
}
