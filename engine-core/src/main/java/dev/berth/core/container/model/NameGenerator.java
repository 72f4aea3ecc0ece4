package dev.berth.core.container.model;

import java.util.List;
import java.util.random.RandomGenerator;

/** Docker-style generated names: {@code adjective_surname}, with a number added on a retry. */
public final class NameGenerator {

  private static final List<String> ADJECTIVES = List.of(
      "agile", "amber", "ample", "brave", "bright", "calm", "clever", "cosmic", "crisp", "daring",
      "eager", "earnest", "fancy", "fearless", "festive", "gentle", "glad", "golden", "happy",
      "hardy", "honest", "humble", "jolly", "keen", "kind", "lively", "loyal", "lucid", "merry",
      "mighty", "modest", "nimble", "noble", "patient", "peaceful", "plucky", "polite", "proud",
      "quick", "quiet", "rapid", "serene", "sharp", "shiny", "silent", "steady", "sunny", "swift",
      "tender", "tidy", "upbeat", "vivid", "warm", "wise", "witty", "zealous");
  private static final List<String> SURNAMES = List.of(
      "agnesi", "babbage", "banach", "bardeen", "bohr", "boole", "cantor", "cerf", "curie",
      "darwin", "dijkstra", "euclid", "euler", "faraday", "fermat", "fermi", "feynman", "gauss",
      "germain", "goodall", "hamilton", "hawking", "hertz", "hopper", "hypatia", "joliot",
      "kepler", "knuth", "lamarr", "lamport", "leavitt", "lovelace", "maxwell", "meitner",
      "mendel", "mirzakhani", "newton", "noether", "pascal", "pasteur", "planck", "ramanujan",
      "ritchie", "shannon", "somerville", "tesla", "thompson", "turing", "volta", "wiles",
      "wozniak", "wright", "yalow", "zuse");

  private final RandomGenerator random;

  public NameGenerator(RandomGenerator random) {
    this.random = random;
  }

  /** A name; {@code attempt > 0} appends a digit, as Docker does after a collision. */
  public ContainerName next(int attempt) {
    String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_"
        + SURNAMES.get(random.nextInt(SURNAMES.size()));
    return new ContainerName(attempt > 0 ? name + random.nextInt(10) : name);
  }
}
