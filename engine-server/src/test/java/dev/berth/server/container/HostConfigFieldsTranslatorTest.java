package dev.berth.server.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.container.model.ContainerCreateRequest;
import dev.berth.core.container.model.Resources;
import dev.berth.core.container.model.RuntimeOptions;
import dev.berth.core.error.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: HostConfig fields berth used to drop are read, or refused in dockerd's words. */
class HostConfigFieldsTranslatorTest {

  private static ContainerCreateRequest create(String hostConfig) {
    String json = "{\"Image\": \"busybox\", \"HostConfig\": " + hostConfig + "}";
    return ContainerTranslator.createRequest(json.getBytes(StandardCharsets.UTF_8), "web");
  }

  private static String badRequest(String hostConfig) {
    return assertThrows(InvalidArgumentException.class, () -> create(hostConfig)).getMessage();
  }

  @Test
  void blockIoSwappinessOomAndRealTimeAreRead() {
    Resources r = create("""
        {"OomKillDisable": true, "MemorySwappiness": 10, "BlkioWeight": 300,
         "BlkioWeightDevice": [{"Path": "/dev/sda", "Weight": 200}],
         "BlkioDeviceReadBps": [{"Path": "/dev/sda", "Rate": 1048576}],
         "BlkioDeviceWriteIOps": [{"Path": "/dev/sdb", "Rate": 20}],
         "CpuRealtimePeriod": 1000000, "CpuRealtimeRuntime": 950000, "KernelMemoryTCP": 4096}""")
        .hostConfig().resources();
    assertTrue(r.oomKillDisable());
    assertEquals(10L, r.memorySwappiness());
    assertEquals(300, r.blkioWeight());
    assertEquals(List.of(new Resources.WeightDevice("/dev/sda", 200)), r.blkioWeightDevice());
    assertEquals(List.of(new Resources.ThrottleDevice("/dev/sda", 1048576)), r.blkioDeviceReadBps());
    assertEquals(List.of(new Resources.ThrottleDevice("/dev/sdb", 20)), r.blkioDeviceWriteIOps());
    assertEquals(950_000L, r.cpuRealtimeRuntime());
    assertEquals(4096L, r.kernelMemoryTcp());
  }

  @Test
  void theClisDefaultsMeanUnset() {
    // What `docker run` sends with no limit flags.
    Resources r = create("""
        {"MemorySwappiness": -1, "OomKillDisable": false, "BlkioWeight": 0, "BlkioWeightDevice": [],
         "BlkioDeviceReadBps": [], "CpuRealtimePeriod": 0}""").hostConfig().resources();
    assertEquals(null, r.memorySwappiness());
    assertEquals(null, r.blkioWeightDevice());
    assertEquals(false, r.oomKillDisable());
  }

  @Test
  void runtimeAndCgroupParentAreRead() {
    assertEquals(new RuntimeOptions("marker", "mine"),
        create("{\"Runtime\": \"marker\", \"CgroupParent\": \"mine\"}").hostConfig().runtimeOptions());
  }

  @Test
  void windowsOnlyFieldsAreRefused() {
    assertEquals("invalid option: QoS maximum bandwidth configuration is not supported on linux",
        badRequest("{\"IOMaximumBandwidth\": 1000}"));
    assertEquals("invalid option: QoS maximum IOPs configuration is not supported on linux",
        badRequest("{\"IOMaximumIOps\": 10}"));
    assertEquals("invalid option: CPU count configuration is not supported on linux", badRequest("{\"CpuCount\": 2}"));
  }

  @Test
  void gpuRequestsAreRefusedAsDockerdWithoutADeviceDriverDoes() {
    // docker run --gpus all
    assertEquals("could not select device driver \"\" with capabilities: [[gpu]]", badRequest("""
        {"DeviceRequests": [{"Driver": "", "Count": -1, "DeviceIDs": null, "Capabilities": [["gpu"]],
          "Options": {}}]}"""));
    assertEquals("could not select device driver \"nvidia\" with capabilities: [[gpu utility] [compute]]",
        badRequest("{\"DeviceRequests\": [{\"Driver\": \"nvidia\", \"Capabilities\": [[\"gpu\", \"utility\"], "
            + "[\"compute\"]]}]}"));
  }
}
