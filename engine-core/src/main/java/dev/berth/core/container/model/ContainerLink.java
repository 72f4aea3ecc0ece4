package dev.berth.core.container.model;

import dev.berth.core.error.InvalidArgumentException;

/**
 * A legacy link ({@code --link name:alias}) on the default bridge: the linking container sees the
 * linked one's address under the alias in /etc/hosts and its ports and environment as
 * {@code ALIAS_*} variables, as dockerd's daemon/links gives them.
 *
 * @param container the linked container's ID once created; in a create request, its name or ID
 *     as the client gave it
 * @param name the linked container's name when the link was made (inspect's {@code /name:/me/alias})
 * @param alias the name the linking container knows it by
 */
public record ContainerLink(String container, String name, String alias) {

  public ContainerLink {
    if (container == null || container.isEmpty() || alias == null || alias.isEmpty()) {
      throw new InvalidArgumentException("empty string specified for links");
    }
    name = name == null || name.isEmpty() ? container : name;
  }

  /**
   * dockerd's opts.ParseLink: {@code name}, {@code name:alias}, or inspect's own
   * {@code /name:/parent/alias} form.
   *
   * @throws InvalidArgumentException {@code bad format for links: ...}
   */
  public static ContainerLink parse(String spec) {
    if (spec == null || spec.isEmpty()) {
      throw new InvalidArgumentException("empty string specified for links");
    }
    String[] parts = spec.split(":", 3);
    if (parts.length > 2) {
      throw new InvalidArgumentException("bad format for links: " + spec);
    }
    if (parts.length == 1) {
      return new ContainerLink(spec, spec, spec);
    }
    if (parts[0].startsWith("/")) {
      String alias = parts[1].substring(parts[1].lastIndexOf('/') + 1);
      return new ContainerLink(parts[0].substring(1), parts[0].substring(1), alias);
    }
    return new ContainerLink(parts[0], parts[0], parts[1]);
  }

  /** The link's full name, as dockerd registers it: {@code /parent/alias}. */
  public String fullName(ContainerName parent) {
    return parent.slashed() + "/" + alias;
  }
}
