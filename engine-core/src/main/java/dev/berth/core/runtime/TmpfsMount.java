package dev.berth.core.runtime;

import java.util.List;

/**
 * A tmpfs in the container ({@code --tmpfs}, {@code --mount type=tmpfs}).
 *
 * @param options mount options already merged with dockerd's defaults ({@code noexec,nosuid,nodev,rprivate,size=...})
 */
public record TmpfsMount(String destination, List<String> options) implements RunMount {

  public TmpfsMount {
    options = List.copyOf(options);
  }
}
