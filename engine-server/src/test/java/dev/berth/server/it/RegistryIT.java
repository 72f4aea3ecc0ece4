package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.core.image.BusyboxImages;
import dev.berth.core.image.BusyboxImages.ImageSpec;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.TarBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pull, push and login with the real docker CLI against Debian's docker-registry on 127.0.0.1
 * (plain HTTP, as every loopback registry is), one open and one behind htpasswd basic auth.
 * Images go in with skopeo from the busybox fixtures, or with berth's own push.
 */
class RegistryIT extends WithBerthd {

  private static TestRegistry open;
  private static TestRegistry locked;
  private static Path work;

  @BeforeAll
  static void startRegistries() throws IOException {
    work = Files.createDirectories(daemon.dir.resolve("registry-fixtures"));
    open = TestRegistry.start();
    locked = TestRegistry.start("berth", "s3cret");
  }

  @AfterAll
  static void stopRegistries() {
    if (open != null) {
      open.close();
    }
    if (locked != null) {
      locked.close();
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode readJson(String text) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path dockerArchive(String name, ImageSpec spec) {
    Path p = work.resolve(name + ".tar");
    BusyboxImages.dockerSave(p, List.of("fixture/" + name + ":latest"), spec);
    return p;
  }

  @Test
  void pullsRunsIsUpToDateAndPullsByDigest() {
    ImageSpec spec = ImageSpec.busybox().withLabels(Map.of("it", "pull"));
    open.put("docker-archive:" + dockerArchive("pull", spec), "busybox:1");
    String ref = open.host() + "/busybox:1";

    var first = docker.run("pull", ref).ok();
    assertTrue(first.out().contains("1: Pulling from busybox"), first.out());
    assertTrue(first.out().contains("Pull complete") || first.out().contains("Already exists"), first.out());
    assertTrue(first.out().contains("Status: Downloaded newer image for " + ref), first.out());
    String digest = digest(first.out());
    assertEquals(spec.id().toString(), docker.run("image", "inspect", "--format", "{{.Id}}", ref).ok().line());
    assertEquals("[" + open.host() + "/busybox@" + digest + "]",
        docker.run("image", "inspect", "--format", "{{.RepoDigests}}", ref).ok().line());
    assertEquals("hi\n", docker.run("run", "--rm", ref, "echo", "hi").ok().out());

    var again = docker.run("pull", ref).ok();
    assertTrue(again.out().contains("Status: Image is up to date for " + ref), again.out());
    assertFalse(again.out().contains("Pull complete"), again.out());

    docker.run("rmi", ref).ok();
    String byDigest = open.host() + "/busybox@" + digest;
    var pinned = docker.run("pull", byDigest).ok();
    assertTrue(pinned.out().contains("Status: Downloaded newer image for " + byDigest), pinned.out());
    assertEquals("pinned\n", docker.run("run", "--rm", byDigest, "echo", "pinned").ok().out());
    docker.run("rmi", byDigest).ok();
  }

  @Test
  void pullsAGzipOciImageAndPicksAmd64FromAnIndex() {
    Path oci = work.resolve("oci.tar");
    ImageId gz = BusyboxImages.ociLayout(oci, "fixture/oci:1", ImageSpec.busybox().gzipped()
        .withCmd(List.of("echo", "oci")));
    open.put("oci-archive:" + oci, "oci:1", "--format", "oci");
    assertTrue(open.inspect("oci:1", "--raw").contains("application/vnd.oci.image.manifest.v1+json"));
    docker.run("pull", open.host() + "/oci:1").ok();
    assertEquals(gz.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", open.host() + "/oci:1").ok().line());
    assertEquals("oci\n", docker.run("run", "--rm", open.host() + "/oci:1").ok().out());

    Path multi = work.resolve("multi.tar");
    ImageId amd64 = BusyboxImages.ociLayoutMultiPlatform(multi, "fixture/multi:1",
        ImageSpec.busybox().withCmd(List.of("echo", "amd64")),
        ImageSpec.busybox().withArchitecture("arm64").withCmd(List.of("echo", "arm64")));
    open.put("oci-archive:" + multi, "multi:1", "--all");
    assertTrue(open.inspect("multi:1", "--raw").contains("application/vnd.oci.image.index.v1+json"));
    String ref = open.host() + "/multi:1";
    docker.run("pull", ref).ok();
    assertEquals(amd64.toString(), docker.run("image", "inspect", "--format", "{{.Id}}", ref).ok().line());
    assertEquals("amd64", docker.run("image", "inspect", "--format", "{{.Architecture}}", ref).ok().line());
    assertEquals("amd64\n", docker.run("run", "--rm", ref).ok().out());

    // GET /distribution/{name}/json: the manifest's descriptor and platforms, nothing pulled.
    var single = readJson(body(daemon.http("GET", "/distribution/" + open.host() + "/oci:1/json", null)));
    assertEquals("application/vnd.oci.image.manifest.v1+json", single.path("Descriptor").path("mediaType").asText());
    assertEquals(readJson(open.inspect("oci:1")).path("Digest").asText(), single.path("Descriptor").path("digest").asText());
    assertEquals("[{\"architecture\":\"amd64\",\"os\":\"linux\"}]", single.path("Platforms").toString());
    var index = readJson(body(daemon.http("GET", "/distribution/" + ref + "/json", null)));
    assertEquals("application/vnd.oci.image.index.v1+json", index.path("Descriptor").path("mediaType").asText());
    assertEquals("[{\"architecture\":\"amd64\",\"os\":\"linux\"},{\"architecture\":\"arm64\",\"os\":\"linux\"}]",
        index.path("Platforms").toString());
    assertTrue(daemon.http("GET", "/distribution/" + open.host() + "/oci:nope/json", null).startsWith("HTTP/1.1 404"));
  }

  private static String body(String response) {
    assertTrue(response.startsWith("HTTP/1.1 200"), response);
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }

  @Test
  void pullsAnImageWithZstdLayers() {
    // A layer of its own: skopeo would otherwise reuse the registry's gzip blob of a known layer.
    var base = ImageSpec.busybox();
    byte[] own = new TarBuilder().file("zstd.txt", "a zstd layer\n").build();
    var spec = new ImageSpec("amd64", List.of(base.layers().getFirst(), own), false, base.env(), "", "", null,
        List.of("cat", "/zstd.txt"), "", Map.of(), List.of(new BusyboxImages.Step("ADD rootfs.tar /", false),
            new BusyboxImages.Step("COPY zstd.txt /", false), new BusyboxImages.Step("CMD [\"cat\"]", true)));
    Path archive = dockerArchive("zstd", spec);
    open.put("docker-archive:" + archive, "zstd:1", "--format", "oci", "--dest-compress-format", "zstd");
    assertTrue(open.inspect("zstd:1", "--raw").contains("application/vnd.oci.image.layer.v1.tar+zstd"));
    String ref = open.host() + "/zstd:1";
    docker.run("pull", ref).ok();
    // The image ID is its config's digest, whatever the layers' compression.
    String config = readJson(open.inspect("zstd:1", "--raw")).path("config").path("digest").asText();
    assertEquals(config, docker.run("image", "inspect", "--format", "{{.Id}}", ref).ok().line());
    assertEquals("a zstd layer\n", docker.run("run", "--rm", ref).ok().out());
  }

  @Test
  void anInsecureRegistryOnHttpsIsUsedWithoutCheckingItsCertificate() {
    // 127.0.0.0/8 is insecure by default: dockerd tries HTTPS without verification first, then HTTP.
    try (var tls = TestRegistry.startTls()) {
      tls.put("docker-archive:" + dockerArchive("tls", ImageSpec.busybox().withCmd(List.of("echo", "over tls"))),
          "tls:1");
      String ref = tls.host() + "/tls:1";
      docker.run("pull", ref).ok();
      assertEquals("over tls\n", docker.run("run", "--rm", ref).ok().out());
      docker.run("tag", ref, tls.host() + "/pushed:1").ok();
      docker.run("push", tls.host() + "/pushed:1").ok();
      assertTrue(tls.inspect("pushed:1").contains("\"Name\": \"" + tls.host() + "/pushed\""));
      docker.run("rmi", ref, tls.host() + "/pushed:1").ok();
    }
  }

  @Test
  void runPullsAMissingImageAndAMissingTagFailsWithDockersMessage() {
    open.put("docker-archive:" + dockerArchive("run", ImageSpec.busybox().withLabels(Map.of("it", "run"))), "run:1");
    var r = docker.run("run", "--rm", open.host() + "/run:1", "echo", "pulled");
    assertEquals(0, r.exit(), r.stderr());
    assertEquals("pulled\n", r.out());
    assertTrue(r.stderr().contains("Unable to find image '" + open.host() + "/run:1' locally"), r.stderr());

    var missing = docker.run("pull", open.host() + "/run:nope");
    assertNotEquals(0, missing.exit());
    assertTrue(missing.stderr().contains("Error response from daemon: manifest for " + open.host()
        + "/run:nope not found: manifest unknown: manifest unknown"), missing.stderr());
    var bad = docker.run("pull", open.host() + "/Run:1");
    assertNotEquals(0, bad.exit());
    assertTrue(bad.stderr().contains("invalid reference format"), bad.stderr());
  }

  @Test
  void imagesSharingABaseLayerDownloadItOnce() {
    // Layers no other test uses, so what is already here is only what this test pulled.
    byte[] shared = new TarBuilder().dir("shared").file("shared/base.txt", "base layer\n").build();
    byte[] top = new TarBuilder().dir("shared").file("shared/top.txt", "top layer\n").build();
    var step = new BusyboxImages.Step("COPY . /", false);
    ImageSpec base = new ImageSpec("amd64", List.of(shared), false, List.of(), "", "", null, List.of("sh"), "",
        Map.of(), List.of(step));
    ImageSpec layered = new ImageSpec("amd64", List.of(shared, top), false, List.of(), "", "", null, List.of("sh"),
        "", Map.of(), List.of(step, step));
    open.put("docker-archive:" + dockerArchive("base", base), "base:1");
    open.put("docker-archive:" + dockerArchive("layered", layered), "layered:1");
    var first = docker.run("pull", open.host() + "/base:1").ok();
    assertEquals(1, count(first.out(), "Pull complete"), first.out());
    var second = docker.run("pull", open.host() + "/layered:1").ok();
    assertEquals(1, count(second.out(), "Already exists"), second.out());
    assertEquals(1, count(second.out(), "Pull complete"), second.out());
    assertEquals(layered.id().toString(), docker.run("image", "inspect", "--format", "{{.Id}}",
        open.host() + "/layered:1").ok().line());
  }

  @Test
  void pushesWhatSkopeoSeesAndMountsAcrossRepositories() {
    Fixtures.importBusybox(docker, "pushme:1");
    String target = open.host() + "/pushed:1";
    docker.run("tag", "pushme:1", target).ok();
    var push = docker.run("push", target).ok();
    assertTrue(push.out().contains("The push refers to repository [" + open.host() + "/pushed]"), push.out());
    assertTrue(push.out().contains(": Pushed"), push.out());
    String digest = digest(push.out());
    assertTrue(open.inspect("pushed:1").contains("\"Digest\": \"" + digest + "\""), open.inspect("pushed:1"));

    var again = docker.run("push", target).ok();
    assertTrue(again.out().contains("Layer already exists"), again.out());
    assertEquals(digest, digest(again.out()));

    String copy = open.host() + "/copied:1";
    docker.run("tag", target, copy).ok();
    var mounted = docker.run("push", copy).ok();
    assertTrue(mounted.out().contains("Mounted from pushed"), mounted.out());
    assertTrue(open.inspect("copied:1").contains("\"Digest\": \"" + digest + "\""));

    // What berth pushed, berth pulls back to the same image.
    String id = docker.run("image", "inspect", "--format", "{{.Id}}", "pushme:1").ok().line();
    docker.run("rmi", target, copy).ok();
    docker.run("pull", target).ok();
    assertEquals(id, docker.run("image", "inspect", "--format", "{{.Id}}", target).ok().line());
  }

  @Test
  void theLockedRegistryRefusesAnonymousPullsUntilLogin() {
    locked.put("docker-archive:" + dockerArchive("secret", ImageSpec.busybox().withLabels(Map.of("it", "auth"))),
        "secret:1", "--dest-creds", "berth:s3cret");
    String ref = locked.host() + "/secret:1";
    var anonymous = docker.run("pull", ref);
    assertNotEquals(0, anonymous.exit());
    assertTrue(anonymous.stderr().contains("no basic auth credentials"), anonymous.stderr());

    var wrong = docker.run("login", "-u", "berth", "-p", "wrong", locked.host());
    assertNotEquals(0, wrong.exit());
    assertTrue(wrong.stderr().contains("login attempt to http://" + locked.host()
        + "/v2/ failed with status: 401 Unauthorized"), wrong.stderr());

    var login = docker.withInput("s3cret\n".getBytes(StandardCharsets.UTF_8), "login", "-u", "berth",
        "--password-stdin", locked.host()).ok();
    assertTrue(login.out().contains("Login Succeeded"), login.out());
    docker.run("pull", ref).ok();
    assertEquals("auth\n", docker.run("run", "--rm", ref, "echo", "auth").ok().out());

    docker.run("tag", ref, locked.host() + "/mine:1").ok();
    docker.run("push", locked.host() + "/mine:1").ok();
    docker.run("logout", locked.host()).ok();
    assertNotEquals(0, docker.run("pull", locked.host() + "/mine:1").exit());
  }

  @Test
  void aPullCutShortByKillingBerthdLeavesNoImageAndTheNextPullCompletes() throws Exception {
    // Big enough (4 x 32 MB, incompressible) that the kill lands mid-download.
    var rnd = new java.util.Random(5);
    var tars = new java.util.ArrayList<byte[]>();
    var steps = new java.util.ArrayList<BusyboxImages.Step>();
    for (int i = 0; i < 4; i++) {
      byte[] data = new byte[32 << 20];
      rnd.nextBytes(data);
      tars.add(new TarBuilder().dir("big").file("big/" + i + ".bin", data, 0644).build());
      steps.add(new BusyboxImages.Step("COPY " + i, false));
    }
    ImageSpec big = new ImageSpec("amd64", tars, false, List.of(), "", "", null, List.of("sh"), "", Map.of(), steps);
    open.put("docker-archive:" + dockerArchive("big", big), "big:1");
    String ref = open.host() + "/big:1";
    Path scratch = daemon.dataRoot.resolve("tmp").resolve("image");

    Process pull = docker.start(false, "pull", ref);
    Poll.until("a download under way", java.time.Duration.ofSeconds(60), () -> {
      try (var files = Files.list(scratch)) {
        return files.anyMatch(f -> f.getFileName().toString().startsWith("blob-"));
      } catch (IOException e) {
        return false;
      }
    });
    daemon.restart(true);
    pull.waitFor();

    assertNotEquals(0, docker.run("image", "inspect", ref).exit(), "a killed pull left an image");
    try (var files = Files.list(scratch)) {
      assertEquals(List.of(), files.toList(), "scratch space is cleared at startup");
    }
    var again = docker.run("pull", ref).ok();
    assertTrue(again.out().contains("Status: Downloaded newer image for " + ref), again.out());
    assertEquals(big.id().toString(), docker.run("image", "inspect", "--format", "{{.Id}}", ref).ok().line());
    docker.run("rmi", ref).ok();
  }

  private static String digest(String out) {
    var m = Pattern.compile("digest: (sha256:[a-f0-9]{64})", Pattern.CASE_INSENSITIVE).matcher(out);
    if (!m.find()) {
      throw new AssertionError("no digest in:\n" + out);
    }
    return m.group(1);
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
