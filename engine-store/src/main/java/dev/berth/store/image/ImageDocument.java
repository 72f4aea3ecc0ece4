package dev.berth.store.image;

import dev.berth.core.error.InternalException;
import dev.berth.core.image.Digest;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.HistoryEntry;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.store.Documents;
import dev.berth.store.Timestamps;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code images.config_json} holds: the parsed image config, kept so listing images needs
 * no blob reads. The field names are the stored ones (the fixture
 * {@code src/test/resources/images/config-v1.json} is a row as berth wrote it) and must not
 * change; a core record's field renamed or added shows as a compile error in the mapping here.
 * A field added to a document reads as null (zero, false) from older rows; a change of meaning
 * needs a new {@code version} and a conversion on read. Times are {@link Timestamps} text,
 * digests {@code sha256:<hex>}.
 */
record ImageDocument(int version, ConfigDoc config) {

  static final int CURRENT = 1;

  static ImageDocument of(ImageConfig config) {
    return new ImageDocument(CURRENT, Documents.map(config, ConfigDoc::of));
  }

  ImageConfig readableConfig(String imageId) {
    if (version != CURRENT) {
      throw new InternalException("image " + imageId + " has config version " + version
          + ", this berth reads only " + CURRENT);
    }
    return Documents.map(config, ConfigDoc::toCore);
  }

  /** An {@link ImageConfig}. */
  record ConfigDoc(String architecture, String os, String variant, String created, String author, String comment,
      String dockerVersion, RunConfigDoc config, List<String> diffIds, List<HistoryDoc> history) {

    static ConfigDoc of(ImageConfig c) {
      return new ConfigDoc(c.architecture(), c.os(), c.variant(), Timestamps.format(c.created()), c.author(),
          c.comment(), c.dockerVersion(), Documents.map(c.config(), RunConfigDoc::of),
          Documents.mapEach(c.diffIds(), Digest::toString), Documents.mapEach(c.history(), HistoryDoc::of));
    }

    ImageConfig toCore() {
      return new ImageConfig(architecture, os, variant, Timestamps.parse(created), author, comment, dockerVersion,
          Documents.map(config, RunConfigDoc::toCore), Documents.mapEach(diffIds, Digest::parse),
          Documents.mapEach(history, HistoryDoc::toCore));
    }
  }

  /** An {@link ImageRunConfig}: null lists are "not set", apart from empty ones. */
  record RunConfigDoc(String user, Set<String> exposedPorts, List<String> env, List<String> entrypoint,
      List<String> cmd, Set<String> volumes, String workingDir, Map<String, String> labels, String stopSignal,
      Integer stopTimeout, HealthcheckDoc healthcheck, List<String> onBuild, List<String> shell,
      boolean argsEscaped) {

    static RunConfigDoc of(ImageRunConfig c) {
      return new RunConfigDoc(c.user(), Documents.sorted(c.exposedPorts()), c.env(), c.entrypoint(), c.cmd(),
          Documents.sorted(c.volumes()), c.workingDir(), Documents.sorted(c.labels()), c.stopSignal(),
          c.stopTimeout(), Documents.map(c.healthcheck(), HealthcheckDoc::of), c.onBuild(), c.shell(),
          c.argsEscaped());
    }

    ImageRunConfig toCore() {
      return new ImageRunConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels, stopSignal,
          stopTimeout, Documents.map(healthcheck, HealthcheckDoc::toCore), onBuild, shell, argsEscaped);
    }
  }

  /**
   * Durations in nanoseconds. The same shape as the containers column's, kept apart so each
   * column's format changes only with its own version.
   */
  record HealthcheckDoc(List<String> test, long interval, long timeout, long startPeriod, long startInterval,
      int retries) {

    static HealthcheckDoc of(Healthcheck h) {
      return new HealthcheckDoc(h.test(), h.interval(), h.timeout(), h.startPeriod(), h.startInterval(), h.retries());
    }

    Healthcheck toCore() {
      return new Healthcheck(test, interval, timeout, startPeriod, startInterval, retries);
    }
  }

  record HistoryDoc(String created, String createdBy, String author, String comment, boolean emptyLayer) {

    static HistoryDoc of(HistoryEntry h) {
      return new HistoryDoc(Timestamps.format(h.created()), h.createdBy(), h.author(), h.comment(), h.emptyLayer());
    }

    HistoryEntry toCore() {
      return new HistoryEntry(Timestamps.parse(created), createdBy, author, comment, emptyLayer);
    }
  }
}
