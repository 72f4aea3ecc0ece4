package dev.berth.core.logs;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code tag} log option: a Go template over the container (moby loggerutils.ParseLogTag and
 * logger.Info) that json-file and local add to every entry's attributes as {@code tag}. berth
 * renders literal text and {@code {{.Field}}} actions only; anything else a Go template can say
 * (functions, pipelines, trim markers, comments) is refused when the option is checked, so nothing
 * is rendered differently from dockerd.
 *
 * @param template the option's text as given; empty for no tag
 */
public record LogTag(String template) {

  public static final LogTag NONE = new LogTag("");

  // The name dockerd gives logger.Info.DaemonName. berth answers "docker" too: it stands in for dockerd,
  // and a template such as "docker/{{.Name}}" feeds log pipelines that match on that text.
  static final String DAEMON_NAME = "docker";

  // logger.Info's methods and string fields that berth renders.
  private static final Set<String> FIELDS = Set.of("ID", "FullID", "Name", "Command", "ImageID", "ImageFullID",
      "ImageName", "Hostname", "DaemonName", "ContainerID", "ContainerName", "ContainerEntrypoint",
      "ContainerImageID", "ContainerImageName");
  // logger.Info's other fields and methods: Go renders them, berth does not (maps, lists, times, paths).
  private static final Set<String> UNRENDERED = Set.of("Config", "ContainerArgs", "ContainerCreated",
      "ContainerEnv", "ContainerLabels", "LogPath", "ExtraAttributes");

  /** What the template may name: the container as dockerd's logger.Info describes it. */
  public record Subject(String id, String name, List<String> argv, String imageId, String imageName) {
    public Subject {
      argv = argv == null ? List.of() : List.copyOf(argv);
      imageName = imageName == null ? "" : imageName;
    }
  }

  private sealed interface Part {}

  private record Text(String text) implements Part {}

  private record Field(String name) implements Part {}

  public LogTag {
    template = template == null ? "" : template;
    parse(template);
  }

  /** The tag of {@code s}; empty if there is none (then dockerd adds no {@code tag} attribute). */
  public String render(Subject s) {
    var out = new StringBuilder();
    for (Part p : parse(template)) {
      switch (p) {
        case Text t -> out.append(t.text());
        case Field f -> out.append(value(f.name(), s));
      }
    }
    return out.toString();
  }

  private static String value(String field, Subject s) {
    return switch (field) {
      case "ID" -> truncate(s.id());
      case "FullID", "ContainerID" -> s.id();
      case "Name" -> s.name().startsWith("/") ? s.name().substring(1) : s.name();
      case "ContainerName" -> s.name().startsWith("/") ? s.name() : "/" + s.name();
      // Info.Command: Path and Args joined by spaces; ContainerEntrypoint is Path alone.
      case "Command" -> String.join(" ", s.argv());
      case "ContainerEntrypoint" -> s.argv().isEmpty() ? "" : s.argv().getFirst();
      case "ImageID" -> truncate(s.imageId());
      case "ImageFullID", "ContainerImageID" -> s.imageId();
      case "ImageName", "ContainerImageName" -> s.imageName();
      case "Hostname" -> hostname();
      case "DaemonName" -> DAEMON_NAME;
      default -> throw new IllegalStateException("unchecked field " + field);
    };
  }

  /** moby stringid.TruncateID: without an algorithm prefix, at most 12 characters. */
  private static String truncate(String id) {
    String hex = id.substring(id.indexOf(':') + 1);
    return hex.length() > 12 ? hex.substring(0, 12) : hex;
  }

  /** Go's os.Hostname: the kernel's host name in berthd's own UTS namespace. */
  private static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("logger: can not resolve hostname: " + e.getMessage(), e);
    }
  }

  /**
   * Literal text and {@code {{.Field}}} actions (spaces around the field allowed).
   *
   * @throws InvalidArgumentException for anything else inside {@code {{ }}}, and for a field
   *     logger.Info does not have, in Go's words
   */
  private static List<Part> parse(String template) {
    var parts = new ArrayList<Part>();
    int at = 0;
    while (at < template.length()) {
      int open = template.indexOf("{{", at);
      if (open < 0) {
        parts.add(new Text(template.substring(at)));
        break;
      }
      if (open > at) {
        parts.add(new Text(template.substring(at, open)));
      }
      int line = 1 + (int) template.substring(0, open).chars().filter(c -> c == '\n').count();
      int close = template.indexOf("}}", open + 2);
      if (close < 0) {
        throw new InvalidArgumentException("template: log-tag:" + line + ": unclosed action");
      }
      String action = template.substring(open + 2, close);
      String field = action.strip();
      if (!field.matches("\\.[A-Za-z_][A-Za-z0-9_]*") || action.startsWith("-") || action.endsWith("-")) {
        throw new InvalidArgumentException("log opt 'tag': berth renders only literal text and {{.Field}} "
            + "(Field one of " + String.join(", ", new java.util.TreeSet<>(FIELDS)) + "), not {{" + action + "}}");
      }
      String name = field.substring(1);
      if (UNRENDERED.contains(name)) {
        throw new InvalidArgumentException("log opt 'tag': berth does not render {{" + action + "}} (Field one of "
            + String.join(", ", new java.util.TreeSet<>(FIELDS)) + ")");
      }
      if (!FIELDS.contains(name)) {
        // Go's execution error (dockerd reports it when the container starts; berth at create).
        int pos = open + 2 + action.indexOf('.');
        int lineStart = template.lastIndexOf('\n', pos - 1);
        int col = lineStart < 0 ? pos : pos - lineStart - 1;
        throw new InvalidArgumentException("template: log-tag:" + line + ":" + col + ": executing \"log-tag\" at <"
            + field + ">: can't evaluate field " + name + " in type *logger.Info");
      }
      parts.add(new Field(name));
      at = close + 2;
    }
    return parts;
  }
}
