package dev.berth.core.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 13: log drivers and options checked as dockerd checks them, in its words. */
class LogConfigTest {

  private static String refusal(String type, Map<String, String> options) {
    return assertThrows(InvalidArgumentException.class, () -> new LogConfig(type, options).settings()).getMessage();
  }

  private static LogSettings settings(String type, Map<String, String> options) {
    return new LogConfig(type, options).settings();
  }

  @Test
  void jsonFileByDefaultWithoutRotation() {
    assertEquals(new LogSettings(LogDriver.JSON_FILE, -1, 1, false, LogSettings.Attributes.NONE),
        settings("", Map.of()));
    assertEquals(new LogSettings(LogDriver.JSON_FILE, 100_000, 2, true, LogSettings.Attributes.NONE),
        settings("json-file", Map.of("max-size", "100k", "max-file", "2", "compress", "true")));
    assertEquals(10 * 1000 * 1000, settings("json-file", Map.of("max-size", "10m")).maxSize(), "decimal, as go-units");
    assertEquals(1500, settings("json-file", Map.of("max-size", "1.5KB")).maxSize());
    assertEquals(2000, settings("json-file", Map.of("max-size", "2 KiB")).maxSize(), "FromHumanSize is decimal even for KiB");
  }

  @Test
  void localIsTwentyMegabytesTimesFiveCompressed() {
    assertEquals(new LogSettings(LogDriver.LOCAL, 20L * 1024 * 1024, 5, true, LogSettings.Attributes.NONE),
        settings("local", Map.of()));
    assertEquals(new LogSettings(LogDriver.LOCAL, 1000, 1, false, LogSettings.Attributes.NONE),
        settings("local", Map.of("max-size", "1k", "max-file", "1", "compress", "false")));
  }

  @Test
  void noneTakesAnything() {
    assertEquals(LogDriver.NONE, settings("none", Map.of("whatever", "x")).driver());
  }

  @Test
  void unknownDriversAndOptionsGetDockerdsWords() {
    assertEquals("error looking up logging plugin bogus: plugin \"bogus\" not found", refusal("bogus", Map.of()));
    assertEquals("unknown log opt 'nope' for json-file log driver", refusal("json-file", Map.of("nope", "1")));
    assertEquals("unknown log opt 'nope' for json-file log driver", refusal("", Map.of("nope", "1")));
    assertEquals("unknown log opt 'nope' for log driver local", refusal("local", Map.of("nope", "1")));
    assertEquals("logger: logging mode not supported: fast", refusal("json-file", Map.of("mode", "fast")));
    assertEquals("logger: max-buffer-size option is only supported with 'mode=non-blocking'",
        refusal("json-file", Map.of("max-buffer-size", "1m")));
    assertEquals("logger: no log driver named 'syslog' is registered (berth has json-file, local and none)",
        refusal("syslog", Map.of()));
  }

  @Test
  void badValuesAreRefusedAtCreate() {
    assertEquals("invalid size: 'lots'", refusal("json-file", Map.of("max-size", "lots")));
    assertEquals("invalid suffix: 'x'", refusal("json-file", Map.of("max-size", "1x")));
    assertEquals("max-size must be a positive number", refusal("json-file", Map.of("max-size", "0")));
    assertEquals("max-file cannot be less than 1", refusal("json-file", Map.of("max-file", "0")));
    assertEquals("strconv.Atoi: parsing \"two\": invalid syntax", refusal("json-file", Map.of("max-file", "two")));
    assertEquals("compress cannot be true when max-file is less than 2 or max-size is not set",
        refusal("json-file", Map.of("compress", "true", "max-file", "3")));
    assertEquals("compression cannot be enabled when max file count is 1",
        refusal("local", Map.of("max-file", "1")));
    assertEquals("invalid value for max-size: -1: invalid size: '-1'", refusal("local", Map.of("max-size", "-1")));
  }

  @Test
  void theDaemonsDriverAndOptionsFillIn() {
    var daemon = new LogConfig("local", Map.of("max-size", "1m", "max-file", "3"));
    assertEquals(daemon, new LogConfig("", Map.of()).withDefaults(daemon));
    assertEquals(new LogConfig("local", Map.of("max-size", "2m", "max-file", "3")),
        new LogConfig("local", Map.of("max-size", "2m")).withDefaults(daemon));
    assertEquals(new LogConfig("json-file", Map.of()), new LogConfig("json-file", Map.of()).withDefaults(daemon),
        "another driver takes none of the daemon's options");
  }

  @Test
  void attributesPickLabelsAndEnvironment() {
    var s = settings("json-file", Map.of("labels", "a,b", "env-regex", "^X"));
    assertEquals(Map.of("a", "1", "XY", "2"), s.attributes().of(Map.of("a", "1", "c", "3"), java.util.List.of(
        "XY=2", "Z=4")));
  }

  private static final LogTag.Subject WEB = new LogTag.Subject(
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "web", java.util.List.of("sh", "-c",
      "echo hi"), "sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", "busybox:latest");

  private static String tag(String template) {
    return new LogTag(template).render(WEB);
  }

  @Test
  void tagRendersLogInfoFieldsAndLiteralText() {
    assertEquals("0123456789ab", tag("{{.ID}}"));
    assertEquals("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", tag("{{.FullID}}"));
    assertEquals("web", tag("{{.Name}}"));
    assertEquals("/web", tag("{{.ContainerName}}"));
    assertEquals("fedcba987654", tag("{{.ImageID}}"), "TruncateID drops the algorithm");
    assertEquals("sha256:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210", tag("{{.ImageFullID}}"));
    assertEquals("busybox:latest", tag("{{.ImageName}}"));
    assertEquals("sh -c echo hi", tag("{{.Command}}"));
    assertEquals("sh", tag("{{.ContainerEntrypoint}}"));
    assertEquals("docker/web/0123456789ab", tag("{{.DaemonName}}/{{ .Name }}/{{.ID}}"));
    assertEquals("plain text }} too", tag("plain text }} too"));
    assertEquals("", tag(""));
    assertEquals(false, tag("{{.Hostname}}").isEmpty());
  }

  @Test
  void tagBeyondFieldsIsRefusedAtCreate() {
    assertEquals("log opt 'tag': berth renders only literal text and {{.Field}} (Field one of Command, ContainerEntrypoint, "
        + "ContainerID, ContainerImageID, ContainerImageName, ContainerName, DaemonName, FullID, Hostname, ID, "
        + "ImageFullID, ImageID, ImageName, Name), not {{.Name | printf \"%s\"}}",
        refusal("json-file", Map.of("tag", "{{.Name | printf \"%s\"}}")));
    for (String bad : new String[] {"{{printf \"x\"}}", "{{- .ID}}", "{{.ID -}}", "{{/* c */}}", "{{.ID.X}}",
        "{{if .ID}}x{{end}}", "{{}}", "{{ . }}"}) {
      assertThrows(InvalidArgumentException.class, () -> settings("local", Map.of("tag", bad)), bad);
    }
    assertEquals("log opt 'tag': berth does not render {{.ContainerLabels}} (Field one of Command, "
        + "ContainerEntrypoint, ContainerID, ContainerImageID, ContainerImageName, ContainerName, DaemonName, FullID, "
        + "Hostname, ID, ImageFullID, ImageID, ImageName, Name)", refusal("json-file", Map.of("tag", "{{.ContainerLabels}}")));
    assertEquals("template: log-tag:1: unclosed action", refusal("json-file", Map.of("tag", "x{{.ID")));
    assertEquals("template: log-tag:1:2: executing \"log-tag\" at <.Foo>: can't evaluate field Foo in type "
        + "*logger.Info", refusal("json-file", Map.of("tag", "{{.Foo}}")));
    assertEquals("template: log-tag:2:4: executing \"log-tag\" at <.Foo>: can't evaluate field Foo in type "
        + "*logger.Info", refusal("json-file", Map.of("tag", "a\nb{{ .Foo}}")));
  }

  @Test
  void tagJoinsTheAttributesAndWinsOverALabelNamedTag() {
    var s = settings("json-file", Map.of("labels", "tag,a", "tag", "{{.Name}}"));
    assertEquals(Map.of("a", "1", "tag", "web"), s.attributes().of(Map.of("a", "1", "tag", "label"),
        java.util.List.of(), WEB));
    assertEquals(Map.of(), settings("local", Map.of("tag", "")).attributes().of(Map.of(), java.util.List.of(), WEB),
        "an empty tag adds nothing");
  }
}
