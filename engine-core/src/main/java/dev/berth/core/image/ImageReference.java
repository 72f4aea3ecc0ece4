package dev.berth.core.image;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A normalized image reference, parsed exactly as Docker's distribution/reference does:
 * {@code busybox} is {@code docker.io/library/busybox}, {@code host:5000/app:1} keeps its host.
 *
 * @param domain registry host, {@code docker.io} when the name has none
 * @param path repository path inside the registry, e.g. {@code library/busybox}
 * @param tag tag or null
 * @param digest digest or null
 */
public record ImageReference(String domain, String path, String tag, Digest digest) {

  public static final String DEFAULT_DOMAIN = "docker.io";
  public static final String DEFAULT_TAG = "latest";
  private static final String LEGACY_DOMAIN = "index.docker.io";
  private static final String OFFICIAL_PREFIX = "library/";

  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern REFERENCE = Pattern.compile(
      "((?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)"
          + "(?::([\\w][\\w.-]{0,127}))?"
          + "(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?");
  private static final int NAME_MAX = 255;

  public ImageReference {
    if (domain == null || path == null) {
      throw new InvalidArgumentException("invalid reference format");
    }
  }

  /**
   * Parses a reference a user typed. Errors carry dockerd's wording, which clients print.
   *
   * @throws InvalidArgumentException for anything Docker would refuse
   */
  public static ImageReference parse(String s) {
    if (s == null || s.isEmpty()) {
      throw new InvalidArgumentException("invalid reference format");
    }
    if (Digest.isHex64(s)) {
      throw new InvalidArgumentException(
          "invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
    }
    String domain;
    String remainder;
    int slash = s.indexOf('/');
    String first = slash < 0 ? "" : s.substring(0, slash);
    if (slash < 0
        || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
            && first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
      domain = DEFAULT_DOMAIN;
      remainder = s;
    } else {
      domain = first;
      remainder = s.substring(slash + 1);
    }
    if (domain.equals(LEGACY_DOMAIN)) {
      domain = DEFAULT_DOMAIN;
    }
    if (domain.equals(DEFAULT_DOMAIN) && remainder.indexOf('/') < 0) {
      remainder = OFFICIAL_PREFIX + remainder;
    }
    int at = remainder.indexOf('@');
    String beforeDigest = at < 0 ? remainder : remainder.substring(0, at);
    int colon = beforeDigest.indexOf(':');
    String remoteName = colon < 0 ? beforeDigest : beforeDigest.substring(0, colon);
    if (!remoteName.toLowerCase(java.util.Locale.ROOT).equals(remoteName)) {
      throw new InvalidArgumentException(
          "invalid reference format: repository name (" + remoteName + ") must be lowercase");
    }
    var m = REFERENCE.matcher(domain + "/" + remainder);
    if (!m.matches()) {
      throw new InvalidArgumentException("invalid reference format");
    }
    String name = m.group(1);
    // distribution/reference limits the path (without the domain), with its own wording.
    if (name.length() - domain.length() - 1 > NAME_MAX) {
      throw new InvalidArgumentException("repository name must not be more than 255 characters");
    }
    Digest digest = null;
    if (m.group(3) != null) {
      if (!Digest.isDigest(m.group(3))) {
        throw new InvalidArgumentException("invalid reference format");
      }
      digest = Digest.parse(m.group(3));
    }
    return new ImageReference(domain, name.substring(domain.length() + 1), m.group(2), digest);
  }

  /** True if {@code s} parses; for places that must try a name before an ID. */
  public static Optional<ImageReference> tryParse(String s) {
    try {
      return Optional.of(parse(s));
    } catch (InvalidArgumentException e) {
      return Optional.empty();
    }
  }

  public static boolean isValidTag(String tag) {
    return tag != null && TAG.matcher(tag).matches();
  }

  /** {@code busybox} becomes {@code busybox:latest}; references with a tag or digest are kept. */
  public ImageReference withDefaultTag() {
    return tag == null && digest == null ? new ImageReference(domain, path, DEFAULT_TAG, null) : this;
  }

  public ImageReference withTag(String newTag) {
    if (!isValidTag(newTag)) {
      throw new InvalidArgumentException("invalid tag format");
    }
    return new ImageReference(domain, path, newTag, null);
  }

  public ImageReference withDigest(Digest d) {
    return new ImageReference(domain, path, null, d);
  }

  /** The repository without tag or digest, e.g. {@code docker.io/library/busybox}. */
  public String repository() {
    return domain + "/" + path;
  }

  /** The short repository name users see: {@code busybox}, {@code host:5000/app}. */
  public String familiarRepository() {
    if (domain.equals(DEFAULT_DOMAIN)) {
      if (path.startsWith(OFFICIAL_PREFIX) && path.indexOf('/', OFFICIAL_PREFIX.length()) < 0) {
        return path.substring(OFFICIAL_PREFIX.length());
      }
      return path;
    }
    return repository();
  }

  /** What {@code docker images} shows: {@code busybox:latest}, {@code app@sha256:...}. */
  public String familiar() {
    return familiarRepository() + suffix();
  }

  /** The fully qualified form: {@code docker.io/library/busybox:latest}. */
  @Override
  public String toString() {
    return repository() + suffix();
  }

  private String suffix() {
    return (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
  }
}
