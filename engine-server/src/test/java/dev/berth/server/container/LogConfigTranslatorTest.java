package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 11: HostConfig.LogConfig is honoured (json-file without options) or refused at create. */
class LogConfigTranslatorTest {

  private static String refusal(String type, Map<String, String> options) {
    return assertThrows(InvalidArgumentException.class,
        () -> LogConfigTranslator.check(new ContainerJson.LogConfig(type, options))).getMessage();
  }

  @Test
  void jsonFileWithoutOptionsIsWhatBerthDoes() {
    assertDoesNotThrow(() -> LogConfigTranslator.check(null));
    assertDoesNotThrow(() -> LogConfigTranslator.check(new ContainerJson.LogConfig("", null)));
    assertDoesNotThrow(() -> LogConfigTranslator.check(new ContainerJson.LogConfig("json-file", Map.of())));
    assertDoesNotThrow(() -> LogConfigTranslator.check(new ContainerJson.LogConfig(null, Map.of("mode", "blocking"))));
  }

  @Test
  void anUnknownDriverOrOptionGetsDockerdsWords() {
    assertEquals("error looking up logging plugin bogus: plugin \"bogus\" not found", refusal("bogus", Map.of()));
    assertEquals("unknown log opt 'x' for json-file log driver", refusal("json-file", Map.of("x", "1")));
    assertEquals("unknown log opt 'x' for json-file log driver", refusal("", Map.of("x", "1", "max-size", "1m")));
    assertEquals("logger: logging mode not supported: fast", refusal("bogus", Map.of("mode", "fast")));
    assertEquals("logger: max-buffer-size option is only supported with 'mode=non-blocking'",
        refusal("json-file", Map.of("max-buffer-size", "1m")));
  }

  @Test
  void whatDockerdHasAndBerthNotYetIsRefusedClearly() {
    assertEquals("log opt 'max-size' is not supported: berth's json-file log has no rotation, non-blocking mode "
        + "or extra attributes yet", refusal("json-file", Map.of("max-size", "10m")));
    assertEquals("log opt 'mode' is not supported: berth's json-file log has no rotation, non-blocking mode "
        + "or extra attributes yet", refusal("json-file", Map.of("mode", "non-blocking")));
    assertEquals("log driver 'local' is not supported: berth keeps every container's output in a json-file log "
        + "without options", refusal("local", Map.of()));
    assertEquals("log driver 'none' is not supported: berth keeps every container's output in a json-file log "
        + "without options", refusal("none", Map.of("anything", "goes")));
  }
}
