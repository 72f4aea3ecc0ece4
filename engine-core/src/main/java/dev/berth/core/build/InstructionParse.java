package dev.berth.core.build;

import dev.berth.core.image.GoJson;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The checks buildkit's instructions.Parse makes of every instruction before dockerd runs the
 * first step: flags, argument counts, the forms that need JSON. A Dockerfile that fails one is
 * refused with a 400 and no step runs, as dockerd does; what depends on the build's state (the
 * values of variables, the files) is checked when the step runs.
 */
final class InstructionParse {

  /** Flags that are booleans: they may stand without a value. */
  private static final Set<String> BOOLEAN_FLAGS = Set.of("link", "parents", "keep-git-dir", "unpack");

  /** The flags each instruction knows (buildkit's parsers); the ones the classic builder refuses are refused later. */
  static final List<String> COPY_FLAGS = List.of("chown", "chmod", "from", "link", "parents", "exclude");
  static final List<String> ADD_FLAGS = List.of("chown", "chmod", "checksum", "keep-git-dir", "link", "exclude",
      "unpack");
  static final List<String> HEALTHCHECK_FLAGS = List.of("interval", "timeout", "start-period", "start-interval",
      "retries");

  private InstructionParse() {}

  /**
   * @throws dev.berth.core.error.InvalidArgumentException {@code dockerfile parse error on line N: ...}
   */
  static void check(Dockerfile.Instruction i) {
    switch (i.keyword()) {
      case "FROM" -> flags(i, "platform");
      case "ENV", "LABEL" -> {
        flags(i);
        List<String> words = InstructionArgs.words(i.args());
        if (words.isEmpty()) {
          throw i.error(i.keyword() + " requires at least one argument");
        }
        if (words.getFirst().contains("=") && words.stream().anyMatch(w -> w.startsWith("="))) {
          throw i.error(i.keyword() + " names can not be blank");
        }
      }
      case "ARG" -> {
        flags(i);
        List<String> words = InstructionArgs.words(i.args());
        if (words.isEmpty()) {
          throw i.error("ARG requires at least one argument");
        }
        if (words.stream().anyMatch(w -> w.startsWith("="))) {
          throw i.error("ARG names can not be blank");
        }
      }
      case "MAINTAINER", "USER", "WORKDIR", "STOPSIGNAL" -> {
        flags(i);
        if (i.args().isEmpty()) {
          throw i.error(i.keyword() + " requires exactly one argument");
        }
      }
      case "EXPOSE" -> {
        flags(i);
        if (i.args().isEmpty()) {
          throw i.error("EXPOSE requires at least one argument");
        }
      }
      case "VOLUME" -> volume(i);
      case "SHELL" -> {
        flags(i);
        List<String> shell = GoJson.stringArray(i.args());
        if (shell == null) {
          throw i.error("SHELL requires the arguments to be in JSON form");
        }
        if (shell.isEmpty()) {
          throw i.error("SHELL requires at least one argument");
        }
      }
      case "CMD", "ENTRYPOINT" -> flags(i);
      case "HEALTHCHECK" -> {
        flags(i, HEALTHCHECK_FLAGS.toArray(String[]::new));
        HealthcheckInstruction.parse(i);
      }
      case "ONBUILD" -> onbuild(i);
      case "COPY", "ADD" -> {
        flags(i, (i.keyword().equals("COPY") ? COPY_FLAGS : ADD_FLAGS).toArray(String[]::new));
        if (sourcesAndDest(i).size() < 2) {
          throw i.error(i.keyword() + " requires at least two arguments, but only one was provided. Destination "
              + "could not be determined");
        }
      }
      // RUN's flags are known here, refused when it runs ("requires BuildKit"), as the classic builder does.
      case "RUN" -> flags(i, "mount", "network", "security", "device");
      default -> {
        // none: Dockerfile.parse refused any other keyword
      }
    }
  }

  /** COPY's and ADD's words: the JSON form, else split on whitespace. */
  static List<String> sourcesAndDest(Dockerfile.Instruction i) {
    List<String> raw = GoJson.stringArray(i.args());
    if (raw == null) {
      raw = i.args().isEmpty() ? List.of() : List.of(i.args().split("\\s+"));
    }
    return raw;
  }

  /** buildkit's BFlags.Parse: only the flags the instruction knows, each with a value unless it is a boolean. */
  static void flags(Dockerfile.Instruction i, String... allowed) {
    Set<String> ok = Set.of(allowed);
    for (String f : i.flags().keySet()) {
      if (f.equals("\0literal")) {
        continue;
      }
      if (!ok.contains(f)) {
        throw i.error("unknown flag: " + f);
      }
      if (i.flags().get(f) == null && !BOOLEAN_FLAGS.contains(f)) {
        throw i.error("missing a value on flag: " + f);
      }
    }
  }

  private static void volume(Dockerfile.Instruction i) {
    flags(i);
    List<String> vols = GoJson.stringArray(i.args());
    if (vols == null) {
      vols = i.args().isEmpty() ? List.of() : List.of(i.args().split("\\s+"));
    }
    if (vols.isEmpty()) {
      throw i.error("VOLUME requires at least one argument");
    }
    for (String v : vols) {
      if (v.isBlank()) {
        throw i.error("VOLUME specified can not be an empty string");
      }
    }
  }

  /** ONBUILD needs a trigger, and not one of those moby refuses as a trigger. */
  static void onbuild(Dockerfile.Instruction i) {
    flags(i);
    if (i.args().isEmpty()) {
      throw i.error("ONBUILD requires at least one argument");
    }
    String trigger = i.args().split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
    if (trigger.equals("ONBUILD")) {
      throw i.error("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    }
    if (trigger.equals("FROM") || trigger.equals("MAINTAINER")) {
      throw i.error(trigger + " isn't allowed as an ONBUILD trigger");
    }
  }
}
