package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docker version and info, and the API's routing rules, over the real socket. */
class SystemIT extends WithBerthd {

  @Test
  void berthdWritesNothingButItsOwnLogLines() throws Exception {
    docker.run("version").ok();
    // Stack traces aside (none expected at start), every line is a record of berth's format: no
    // library prints to stdout or stderr on its own (Helidon's logging set-up once did).
    List<String> foreign = Files.readAllLines(daemon.log).stream()
        .filter(l -> !l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z (DEBUG|INFO|WARNING|ERROR) \\S+: .*")).toList();
    assertEquals(List.of(), foreign);
  }

  @Test
  void dockerVersionAndInfo() {
    var version = daemon.docker().run("version", "--format", "{{.Server.APIVersion}} {{.Server.MinAPIVersion}} {{.Server.Os}}")
        .ok().line();
    assertEquals("1.51 1.24 linux", version);
    var info = daemon.docker().run("info", "--format",
        "{{.Driver}} {{.OSType}} {{.Containers}} {{.Images}} {{.DefaultRuntime}} {{.CgroupVersion}}").ok().line();
    assertTrue(info.matches("overlay2 linux 0 0 (runc|crun) [12]"), info);
    assertTrue(daemon.docker().run("info").ok().out().contains("Storage Driver: overlay2"));
  }

  @Test
  void pingAnswersWithDockersHeadersOnEveryPath() {
    for (String path : new String[] {"/_ping", "/v1.24/_ping", "/v1.51/_ping"}) {
      String r = daemon.http("GET", path, null);
      assertTrue(r.startsWith("HTTP/1.1 200"), r);
      assertTrue(r.contains("Api-Version: 1.51"), r);
      assertTrue(r.contains("Ostype: linux"), r);
      assertTrue(r.contains("Docker-Experimental: false"), r);
      assertTrue(r.endsWith("OK"), r);
    }
    String head = daemon.http("HEAD", "/_ping", null);
    assertTrue(head.startsWith("HTTP/1.1 200") && head.contains("Content-Length: 0"), head);
  }

  @Test
  void versionsOutsideTheRangeAndUnknownPathsAreRefused() {
    String old = daemon.http("GET", "/v1.12/version", null);
    assertTrue(old.startsWith("HTTP/1.1 400"), old);
    assertTrue(old.contains("client version 1.12 is too old. Minimum supported API version is 1.24"), old);
    assertTrue(daemon.http("GET", "/v1.99/version", null).contains("is too new. Maximum supported API version is 1.51"));
    String unknown = daemon.http("GET", "/nothing/here", null);
    assertTrue(unknown.startsWith("HTTP/1.1 404"), unknown);
    assertTrue(unknown.contains("Content-Type: application/json\r\n"), unknown);
    assertTrue(unknown.endsWith("{\"message\":\"page not found\"}"), unknown);
    assertTrue(daemon.http("DELETE", "/version", null).startsWith("HTTP/1.1 404"), "wrong method is 404, never 405");
  }

  @Test
  void errorsUseDockersStatusesAndWording() {
    String missing = daemon.http("GET", "/containers/nope/json", null);
    assertTrue(missing.startsWith("HTTP/1.1 404") && missing.endsWith("{\"message\":\"No such container: nope\"}"), missing);
    String badJson = daemon.http("POST", "/containers/create", "{not json");
    assertTrue(badJson.startsWith("HTTP/1.1 400") && badJson.contains("invalid JSON"), badJson);
    String noImage = daemon.http("POST", "/v1.51/containers/create", "{\"Image\":\"ghost\"}");
    assertTrue(noImage.startsWith("HTTP/1.1 404") && noImage.contains("No such image: ghost"), noImage);
    String badCondition = daemon.http("POST", "/containers/nope/wait?condition=soon", null);
    assertTrue(badCondition.startsWith("HTTP/1.1 400") && badCondition.contains("invalid condition: \\\"soon\\\""),
        badCondition);
  }
}
