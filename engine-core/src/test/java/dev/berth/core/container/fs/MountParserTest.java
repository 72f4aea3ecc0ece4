package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.MountPoint;
import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.MountType;
import dev.berth.core.error.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bind, mount, tmpfs and volumes-from specs, with moby linux_parser_test's cases and wording. */
class MountParserTest {

  private final MountParser parser = new MountParser(p -> p.equals(Path.of("/exists")));

  @ParameterizedTest
  @ValueSource(strings = {"/home", "/home:/home", "/home:/something/else", "/with space", "/home:/with space",
      "relative:/absolute-path", "hostPath:/containerPath:ro", "/hostPath:/containerPath:rw", "/rw:/ro",
      "/hostPath:/containerPath:shared", "/hostPath:/containerPath:rslave", "/hostPath:/containerPath:ro,z,shared",
      "/hostPath:/containerPath:Z,slave,ro", "/hostPath:/containerPath:ro,Z,rprivate", "name:/data:nocopy"})
  void acceptsWhatMobyAccepts(String spec) {
    parser.parseBind(spec);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "./|mount path must be absolute",
      "/:../|mount path must be absolute",
      "/:path|mount path must be absolute",
      ":|invalid volume specification",
      "/tmp:|invalid volume specification",
      ":/test|invalid volume specification",
      "::|invalid volume specification",
      "/tmp:::|invalid volume specification",
      "/path:rw|invalid volume specification",
      "path:ro|invalid volume specification",
      "/path:/path:sw|invalid mode",
      "/path:/path:rwz|invalid mode",
      "/path:/path:ro,rshared,rslave|invalid mode",
      "/path:shared|invalid volume specification",
      "name:/absolute-path:shared|invalid volume specification",
      "name:/absolute-path:rprivate|invalid volume specification"})
  void refusesWhatMobyRefuses(String spec, String expected) {
    String message = assertThrows(InvalidArgumentException.class, () -> parser.parseBind(spec)).getMessage();
    assertTrue(message.contains(expected), message);
  }

  @Test
  void errorsQuoteTheSpecAndTheReasonAsDockerd() {
    assertEquals("invalid volume specification: '/a:b': invalid mount config for type \"bind\": invalid mount path: "
        + "'b' mount path must be absolute", message(() -> parser.parseBind("/a:b")));
    assertEquals("invalid volume specification: '/a:/': invalid mount config for type \"bind\": invalid "
        + "specification: destination can't be '/'", message(() -> parser.parseBind("/a:/")));
    assertEquals("invalid mode: sw", message(() -> parser.parseBind("/a:/b:sw")));
  }

  @Test
  void hostPathsAreBindsWithRprivateAndNamesAreVolumes() {
    MountPoint bind = parser.parseBind("/tmp/../srv//x:/data/:ro");
    assertEquals(MountType.BIND, bind.type());
    assertEquals("/srv/x", bind.source());
    assertEquals("/data", bind.destination());
    assertFalse(bind.rw());
    assertEquals("ro", bind.mode());
    assertEquals("rprivate", bind.propagation());
    assertTrue(bind.createSource(), "dockerd makes a missing -v source");

    MountPoint shared = parser.parseBind("/a:/b:rshared");
    assertEquals("rshared", shared.propagation());

    MountPoint vol = parser.parseBind("cache:/var/cache:nocopy");
    assertEquals(MountType.VOLUME, vol.type());
    assertEquals("cache", vol.name());
    assertNull(vol.source(), "filled in when the volume exists");
    assertFalse(vol.copyData());
    assertFalse(vol.anonymous());

    MountPoint anon = parser.parseBind("/only/a/target");
    assertTrue(anon.anonymous());
    assertNull(anon.name());
    assertTrue(anon.copyData());
  }

  @Test
  void mountSpecsOfEachType() {
    MountPoint bind = parser.parseMount(new MountRequest("bind", "/exists", "/m", true, "",
        new MountRequest.BindOptions("rslave", true, false, false, false), null, null));
    assertEquals("rslave", bind.propagation());
    assertTrue(bind.nonRecursive());
    assertFalse(bind.rw());
    assertFalse(bind.createSource(), "--mount never makes a bind source");

    MountPoint vol = parser.parseMount(new MountRequest("volume", "", "/v", false, "", null,
        new MountRequest.VolumeOptions(true, Map.of(), "", null, null), null));
    assertTrue(vol.anonymous());
    assertFalse(vol.copyData());

    MountPoint tmpfs = parser.parseMount(new MountRequest("tmpfs", "", "/t", false, "", null, null,
        new MountRequest.TmpfsOptions(64L << 20, 01777, List.of(List.of("exec")))));
    assertEquals(MountType.TMPFS, tmpfs.type());
    assertEquals("mode=1777,size=64m,exec", tmpfs.tmpfsOptions());
  }

  @Test
  void mountSpecErrorsNameTheType() {
    assertEquals("invalid mount config for type \"bind\": bind source path does not exist: /missing",
        message(() -> parser.parseMount(new MountRequest("bind", "/missing", "/m", false, "", null, null, null))));
    assertEquals("invalid mount config for type \"bind\": field Source must not be empty",
        message(() -> parser.parseMount(new MountRequest("bind", "", "/m", false, "", null, null, null))));
    assertEquals("invalid mount config for type \"volume\": field Target must not be empty",
        message(() -> parser.parseMount(new MountRequest("volume", "x", "", false, "", null, null, null))));
    assertEquals("invalid mount config for type \"volume\": must not set ReadOnly mode when using anonymous volumes",
        message(() -> parser.parseMount(new MountRequest("volume", "", "/v", true, "", null, null, null))));
    assertEquals("invalid mount config for type \"tmpfs\": field Source must not be specified",
        message(() -> parser.parseMount(new MountRequest("tmpfs", "x", "/t", false, "", null, null, null))));
    assertEquals("invalid mount config for type \"npipe\": mount type unknown",
        message(() -> parser.parseMount(new MountRequest("npipe", "x", "/t", false, "", null, null, null))));
    assertEquals("invalid mount config for type \"bind\": invalid propagation mode: sideways",
        message(() -> parser.parseMount(new MountRequest("bind", "/exists", "/m", false, "",
            new MountRequest.BindOptions("sideways", false, false, false, false), null, null))));
    assertEquals("invalid mount config for type \"tmpfs\": invalid option: nosuid",
        message(() -> parser.parseMount(new MountRequest("tmpfs", "", "/t", false, "", null, null,
            new MountRequest.TmpfsOptions(0, 0, List.of(List.of("nosuid")))))));
  }

  @Test
  void bindWithCreateMountpointNeedsNoSource() {
    MountPoint m = parser.parseMount(new MountRequest("bind", "/missing", "/m", false, "",
        new MountRequest.BindOptions("", false, true, false, false), null, null));
    assertTrue(m.createSource());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1073741824|size=1g", "1572864|size=1536k", "1000|size=1000", "2097152|size=2m"})
  void tmpfsSizeTakesTheLargestUnitThatDivides(long bytes, String expected) {
    assertEquals(expected, MountParser.tmpfsData(new MountRequest.TmpfsOptions(bytes, 0, null), false));
  }

  @Test
  void readOnlyTmpfsStartsWithRo() {
    assertEquals("ro", MountParser.tmpfsData(null, true));
  }

  @Test
  void volumesFromTakesRoOrRwOnly() {
    assertEquals(new MountParser.VolumesFrom("data", true), MountParser.parseVolumesFrom("data"));
    assertEquals(new MountParser.VolumesFrom("data", false), MountParser.parseVolumesFrom("data:ro"));
    assertEquals(new MountParser.VolumesFrom("data", true), MountParser.parseVolumesFrom("data:rw"));
    assertEquals("invalid mode: rshared", message(() -> MountParser.parseVolumesFrom("data:rshared")));
    assertEquals("invalid mode: nocopy", message(() -> MountParser.parseVolumesFrom("data:nocopy")));
    assertEquals("volumes-from specification cannot be an empty string",
        message(() -> MountParser.parseVolumesFrom("")));
  }

  @Test
  void destinationsMustBeAbsoluteAndNotRoot() {
    MountParser.validateDestination("/scratch");
    assertEquals("invalid mount path: 'scratch' mount path must be absolute",
        message(() -> MountParser.validateDestination("scratch")));
    assertEquals("invalid specification: destination can't be '/'",
        message(() -> MountParser.validateDestination("/tmp/..")));
  }

  private static String message(Runnable r) {
    return assertThrows(InvalidArgumentException.class, r::run).getMessage();
  }
}
