package dev.berth.core.build;

import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.image.GoDuration;
import dev.berth.core.image.GoJson;
import dev.berth.core.image.Healthcheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** HEALTHCHECK's arguments and flags, with buildkit's checks and words. */
final class HealthcheckInstruction {

  private HealthcheckInstruction() {}

  static Healthcheck parse(Dockerfile.Instruction i) {
    List<String> words = i.args().isEmpty() ? List.of() : List.of(i.args().split("\\s+", 2));
    if (words.isEmpty()) {
      throw i.error("HEALTHCHECK requires at least one argument");
    }
    String type = words.getFirst().toUpperCase(Locale.ROOT);
    Healthcheck hc;
    if (type.equals("NONE")) {
      if (words.size() > 1 || !i.flags().isEmpty()) {
        throw i.error("HEALTHCHECK NONE takes no arguments");
      }
      hc = new Healthcheck(List.of("NONE"), 0, 0, 0, 0, 0);
    } else if (type.equals("CMD")) {
      if (words.size() < 2 || words.get(1).isBlank()) {
        throw i.error("Missing command after HEALTHCHECK CMD");
      }
      String rest = words.get(1).strip();
      List<String> exec = GoJson.stringArray(rest);
      var test = new ArrayList<String>();
      if (exec != null) {
        test.add("CMD");
        test.addAll(exec);
      } else {
        test.add("CMD-SHELL");
        test.add(rest);
      }
      long interval = duration(i, "interval");
      long timeout = duration(i, "timeout");
      long startPeriod = duration(i, "start-period");
      long startInterval = duration(i, "start-interval");
      int retries = 0;
      if (i.flags().get("retries") != null) {
        try {
          retries = Integer.parseInt(i.flags().get("retries"));
        } catch (NumberFormatException e) {
          throw i.error("strconv.ParseInt: parsing " + GoQuote.quote(i.flags().get("retries")) + ": invalid syntax");
        }
        if (retries < 0) {
          throw i.error("--retries cannot be negative (" + retries + ")");
        }
      }
      hc = new Healthcheck(test, interval, timeout, startPeriod, startInterval, retries);
    } else {
      throw i.error("Unknown type " + GoQuote.quote(type) + " in HEALTHCHECK (try CMD)");
    }
    return hc;
  }

  private static long duration(Dockerfile.Instruction i, String flag) {
    String v = i.flags().get(flag);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    long nanos;
    try {
      nanos = GoDuration.parse(v);
    } catch (InvalidArgumentException e) {
      throw i.error(e.getMessage());
    }
    if (nanos != 0 && nanos < 1_000_000) {
      throw i.error("Interval " + GoQuote.quote(flag) + " cannot be less than 1ms");
    }
    return nanos;
  }
}
