package dev.berth.core.image.registry;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What authenticating to registries taught us, shared by all pulls and pushes: each registry's
 * challenge (so a pull needs no {@code /v2/} ping once one was made) and bearer tokens until they
 * expire (so a warm pull needs no token round trip). Entries are small and bounded by the
 * registries, users and repositories seen.
 */
final class AuthCache {

  private record Token(String value, Instant expires) {}

  private final ConcurrentHashMap<String, List<Challenge>> challenges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Token> tokens = new ConcurrentHashMap<>();
  private final Clock clock;

  AuthCache(Clock clock) {
    this.clock = clock;
  }

  Optional<List<Challenge>> challenges(String base) {
    return Optional.ofNullable(challenges.get(base));
  }

  void challenges(String base, List<Challenge> c) {
    challenges.put(base, List.copyOf(c));
  }

  Optional<String> token(String key) {
    Token t = tokens.get(key);
    if (t == null || !clock.instant().isBefore(t.expires())) {
      return Optional.empty();
    }
    return Optional.of(t.value());
  }

  /** Keeps a token until shortly before it expires, so it is never sent just as it lapses. */
  void token(String key, String value, long expiresInSeconds) {
    long keep = Math.max(0, expiresInSeconds - 10);
    if (keep > 0) {
      tokens.put(key, new Token(value, clock.instant().plusSeconds(keep)));
    }
  }

  void forgetToken(String key) {
    tokens.remove(key);
  }
}
