package dev.berth.server.system;

import dev.berth.core.config.HostFacts;
import dev.berth.core.image.registry.RegistryOptions;
import dev.berth.core.system.EngineVersion;
import dev.berth.core.system.SystemInfo;
import dev.berth.core.system.SystemService;
import dev.berth.server.api.ApiRequest;
import dev.berth.server.api.ApiRoutes;
import dev.berth.server.api.ApiVersion;
import dev.berth.server.api.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /_ping}, {@code /version}, {@code /info}. */
public final class SystemHandlers {

  private final SystemService system;
  private final RegistryOptions registries;

  public SystemHandlers(SystemService system, RegistryOptions registries) {
    this.system = system;
    this.registries = registries;
  }

  public static void routes(ApiRoutes.Operations<SystemHandlers> r) {
    r.get("/_ping", SystemHandlers::systemPing);
    r.head("/_ping", SystemHandlers::systemPing);
    r.get("/version", SystemHandlers::systemVersion);
    r.get("/info", SystemHandlers::systemInfo);
  }

  private void systemPing(ApiRequest req, ServerResponse res) {
    res.header("Cache-Control", "no-cache, no-store, must-revalidate");
    res.header("Pragma", "no-cache");
    res.header("Swarm", "inactive");
    // The classic builder only: "1" keeps the CLI off BuildKit's /session and /grpc endpoints.
    res.header("Builder-Version", "1");
    res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    if (req.raw().prologue().method().text().equals("HEAD")) {
      res.header(HeaderNames.CONTENT_LENGTH, "0");
      res.send();
    } else {
      res.send("OK");
    }
  }

  private void systemVersion(ApiRequest req, ServerResponse res) {
    HostFacts host = system.host();
    String goArch = HostFacts.goArch();
    var engine = new SystemJson.Component("Engine", EngineVersion.DOCKER_COMPATIBLE, Map.of(
        "ApiVersion", ApiVersion.CURRENT.toString(), "MinAPIVersion", ApiVersion.MIN.toString(),
        "Os", "linux", "Arch", goArch, "KernelVersion", host.kernelVersion(), "Experimental", "false",
        "GitCommit", "berth-" + EngineVersion.VERSION, "GoVersion", "java" + Runtime.version().feature()));
    var runtime = system.info();
    var rt = new SystemJson.Component(runtime.defaultRuntime(), "", Map.of("GitCommit", ""));
    Responses.json(res, 200, new SystemJson.Version(new SystemJson.Platform("berth " + EngineVersion.VERSION),
        List.of(engine, rt), EngineVersion.DOCKER_COMPATIBLE, ApiVersion.CURRENT.toString(),
        ApiVersion.MIN.toString(), "berth-" + EngineVersion.VERSION, "java" + Runtime.version().feature(),
        "linux", goArch, host.kernelVersion(), false, ""));
  }

  private void systemInfo(ApiRequest req, ServerResponse res) {
    SystemInfo i = system.info();
    HostFacts h = i.host();
    var runtimes = new LinkedHashMap<String, SystemJson.RuntimeJson>();
    i.runtimes().forEach((name, path) -> runtimes.put(name, new SystemJson.RuntimeJson(path)));
    var registry = SystemTranslator.registryConfig(registries);
    Responses.json(res, 200, new SystemJson.Info(
        i.id(), i.containers(), i.running(), i.paused(), i.stopped(), i.images(),
        "overlay2", List.of(List.of("Backing Filesystem", "extfs"), List.of("Supports d_type", "true")),
        new SystemJson.Plugins(List.of("local"), List.of("bridge", "host", "null"), null,
            List.of("json-file", "local", "none")),
        true, true, true, true, true, true, true, false, false, i.openDescriptors(), true, i.threads(),
        Instant.now().toString(), i.loggingDriver(), "cgroupfs", h.cgroupVersion(), 0, h.kernelVersion(),
        h.operatingSystem(), h.osVersion(), "linux", h.architecture(), h.cpus(), h.memoryBytes(),
        "https://index.docker.io/v1/", registry, null, "", "", "", h.hostname(), List.of(), false,
        EngineVersion.DOCKER_COMPATIBLE, runtimes, i.defaultRuntime(),
        new SystemJson.Swarm("", "", "inactive", false, "", null), true, "", "conmon",
        new SystemJson.Commit(""), new SystemJson.Commit(""), new SystemJson.Commit(""),
        SystemTranslator.securityOptions(i.securityOptions(), req.version()), List.of(), i.warnings(), i.dataRoot().toString()));
  }
}
