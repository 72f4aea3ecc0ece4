package dev.berth.server.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code docker build} through the real CLI with the classic builder (DOCKER_BUILDKIT=0),
 * docker-py and docker-compose, against berth's own builder behind POST /build.
 */
class BuildIT extends WithBerthd {

  @TempDir
  Path dir;

  @BeforeAll
  static void image() {
    Fixtures.importBusybox(docker, "busybox:latest");
  }

  private static final String MULTI_STAGE = """
      # syntax is ignored by the classic builder
      ARG BASE=busybox:latest
      FROM ${BASE} AS build
      ARG GREETING=hello
      ENV APP_HOME=/app \\
          MODE=${MODE:-release}
      WORKDIR $APP_HOME
      COPY greet.txt .
      RUN echo "$GREETING from $MODE" > built.txt && mkdir -p out && cp greet.txt built.txt out/ && touch out/x.log

      FROM busybox:latest
      RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd && echo 'app:x:1000:' >> /etc/group
      WORKDIR /srv
      COPY --from=build /app/out/*.txt ./
      COPY --chown=app:app owned.txt /srv/owned.txt
      ADD files.tar.gz /srv/extra/
      USER app
      ENTRYPOINT ["sh", "-c", "cat /srv/greet.txt /srv/built.txt /srv/extra/inner.txt; stat -c %U:%G /srv/owned.txt; id -un; pwd; echo \\"cmd $0\\""]
      CMD ["arg1"]
      """;

  private void project() throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), MULTI_STAGE);
    Files.writeString(dir.resolve("greet.txt"), "greetings\n");
    Files.writeString(dir.resolve("owned.txt"), "mine\n");
    try (OutputStream f = Files.newOutputStream(dir.resolve("files.tar.gz"));
        var tar = new TarArchiveOutputStream(new GZIPOutputStream(f))) {
      byte[] body = "from the tar\n".getBytes(StandardCharsets.UTF_8);
      var e = new TarArchiveEntry("inner.txt");
      e.setSize(body.length);
      e.setMode(0644);
      tar.putArchiveEntry(e);
      tar.write(body);
      tar.closeArchiveEntry();
    }
  }

  private DockerCli.Result build(String... args) {
    var all = new java.util.ArrayList<>(List.of("build"));
    all.addAll(List.of(args));
    return docker.inDir(dir, null, all.toArray(String[]::new));
  }

  private static long lines(String out, String text) {
    return out.lines().filter(l -> l.contains(text)).count();
  }

  @Test
  void multiStageBuildRunsAndRebuildsFromCacheUntilASourceChanges() throws IOException {
    project();
    String first = build("--build-arg", "GREETING=hi", "-t", "app:1", "-t", "app:2", ".").ok().out();
    assertTrue(first.contains("Step 1/16 : ARG BASE=busybox:latest"), first);
    assertTrue(first.contains("Successfully built "), first);
    assertTrue(first.contains("Successfully tagged app:1"), first);
    assertTrue(first.contains("Successfully tagged app:2"), first);
    assertTrue(first.contains(" ---> Running in "), first);
    assertTrue(first.contains(" ---> Removed intermediate container "), first);

    String run = docker.run("run", "--rm", "app:1").ok().out();
    assertEquals("greetings\nhi from release\nfrom the tar\napp:app\napp\n/srv\ncmd arg1\n", run);
    assertNotEquals(0, docker.run("run", "--rm", "--entrypoint", "ls", "app:1", "/srv/x.log").exit(),
        "the wildcard took only the .txt files");

    String second = build("--build-arg", "GREETING=hi", "-t", "app:1", ".").ok().out();
    assertEquals(13, lines(second, "Using cache"), second);
    assertFalse(second.contains("Running in"), second);
    String id1 = docker.run("image", "inspect", "-f", "{{.Id}}", "app:2").ok().line();
    assertEquals(id1, docker.run("image", "inspect", "-f", "{{.Id}}", "app:1").ok().line());

    // owned.txt is used by step 12: everything before it is cached, it and everything after is not.
    Files.writeString(dir.resolve("owned.txt"), "changed\n");
    String third = build("--build-arg", "GREETING=hi", "-t", "app:3", ".").ok().out();
    assertEquals(8, lines(third, "Using cache"), third);
    String after = third.substring(third.indexOf("Step 12/16"));
    assertFalse(after.contains("Using cache"), after);

    String history = docker.run("history", "--no-trunc", "--format", "{{.CreatedBy}}", "app:1").ok().out();
    assertTrue(history.contains("/bin/sh -c #(nop)  CMD [\"arg1\"]"), history);
    assertTrue(history.contains("/bin/sh -c #(nop) WORKDIR /srv"), history);
    assertTrue(history.contains("/bin/sh -c #(nop)  USER app"), history);
    String cached = build("--build-arg", "GREETING=hi", "--target", "build", "-t", "stage:1", ".").ok().out();
    assertEquals(5, lines(cached, "Using cache"), cached);
    String stage = docker.run("history", "--no-trunc", "--format", "{{.CreatedBy}}", "stage:1").ok().out();
    assertTrue(stage.contains("|1 GREETING=hi /bin/sh -c echo"), stage);
    assertEquals("[sh -c cat /srv/greet.txt /srv/built.txt /srv/extra/inner.txt; stat -c %U:%G /srv/owned.txt; "
        + "id -un; pwd; echo \"cmd $0\"] [arg1] app /srv",
        docker.run("image", "inspect", "-f", "{{.Config.Entrypoint}} {{.Config.Cmd}} {{.Config.User}} "
            + "{{.Config.WorkingDir}}", "app:1").ok().line());
  }

  @Test
  void dockerignoreKeepsAFileOutAndFileAndTargetAndIidfileWork() throws IOException {
    Files.writeString(dir.resolve(".dockerignore"), "secret*\n**/*.log\n!keep.log\n");
    Files.writeString(dir.resolve("secret.txt"), "s\n");
    Files.writeString(dir.resolve("keep.log"), "k\n");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("sub/x.log"), "x\n");
    Files.writeString(dir.resolve("custom.Dockerfile"), """
        FROM busybox:latest AS first
        COPY . /ctx/
        RUN ls -a /ctx | sort | tr '\\n' ' '
        FROM first
        RUN exit 3
        """);
    Path iid = dir.resolve("iid");
    var r = build("-f", "custom.Dockerfile", "--target", "first", "--iidfile", iid.toString(), "-t", "ignored:1", ".")
        .ok();
    assertTrue(r.out().contains(". .. .dockerignore custom.Dockerfile keep.log sub"), r.out());
    String id = docker.run("image", "inspect", "-f", "{{.Id}}", "ignored:1").ok().line();
    assertEquals(id, Files.readString(iid).strip());
    assertEquals("", docker.run("run", "--rm", "ignored:1", "ls", "/ctx/sub").ok().line());
  }

  @Test
  void aDockerfileFromStdinBuildsWithoutContext() {
    byte[] df = "FROM busybox:latest\nLABEL from=stdin\nCMD [\"echo\", \"piped\"]\n".getBytes(StandardCharsets.UTF_8);
    docker.inDir(dir, df, "build", "-t", "piped:1", "-").ok();
    assertEquals("piped", docker.run("run", "--rm", "piped:1").ok().line());
    assertEquals("stdin", docker.run("image", "inspect", "-f", "{{index .Config.Labels \"from\"}}", "piped:1").ok()
        .line());
  }

  @Test
  void aFailingRunExitsNonZeroWithItsOutputAndLeavesNoContainer() throws IOException {
    String before = docker.run("ps", "-aq").ok().out();
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nRUN echo about to fail && exit 7\n");
    var r = build("-t", "fails:1", ".");
    assertNotEquals(0, r.exit());
    assertTrue(r.out().contains("about to fail"), r.out());
    assertTrue(r.stderr().contains("The command '/bin/sh -c echo about to fail && exit 7' returned a non-zero code: 7"),
        r.stderr());
    assertEquals(before, docker.run("ps", "-aq").ok().out());
    assertNotEquals(0, docker.run("image", "inspect", "fails:1").exit());
  }

  @Test
  void aClientThatGoesAwayCancelsTheRunningStep() throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nRUN echo $((6*7))-running && sleep 60\n");
    Path seen = dir.resolve("seen.log");
    Process build = docker.startTo(seen, "build", "--no-cache", dir.toString());
    try {
      Poll.until("the step to run", java.time.Duration.ofSeconds(30),
          () -> Files.exists(seen) && readQuietly(seen).contains("42-running"));
      assertFalse(docker.run("ps", "-q").ok().line().isEmpty());
    } finally {
      build.destroyForcibly();
    }
    Poll.until("the step container to go", java.time.Duration.ofSeconds(15),
        () -> docker.run("ps", "-aq").ok().line().isEmpty());
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void onbuildFiresInAChildImage() throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nONBUILD RUN echo triggered > /trigger\n");
    build("-t", "parent:1", ".").ok();
    Files.writeString(dir.resolve("Dockerfile"), "FROM parent:1\nCMD [\"cat\", \"/trigger\"]\n");
    var r = build("-t", "child:1", ".").ok();
    assertTrue(r.out().contains("# Executing 1 build trigger"), r.out());
    assertEquals("triggered", docker.run("run", "--rm", "child:1").ok().line());
  }

  @Test
  void copyFromExpandsAWildcardRightBelowTheRoot() throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM busybox:latest AS b
        RUN mkdir -p /d1 /d2 && echo one > /d1/a.txt && echo two > /d2/b.txt
        FROM busybox:latest
        COPY --from=b /*/?.txt /out/
        CMD ["cat", "/out/a.txt", "/out/b.txt"]
        """);
    build("-t", "rootglob:1", ".").ok();
    assertEquals("one\ntwo\n", docker.run("run", "--rm", "rootglob:1").ok().out());
  }

  @Test
  void scratchShellHealthcheckAndFriendsEndUpInTheConfig() throws IOException {
    Files.writeString(dir.resolve("hello"), "hello from scratch\n");
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM scratch AS base
        ENV A=1
        COPY hello /hello
        FROM busybox:latest
        COPY --from=0 /hello /hello
        SHELL ["/bin/sh", "-ec"]
        HEALTHCHECK --interval=5s --retries=2 CMD true
        STOPSIGNAL SIGINT
        VOLUME /data
        EXPOSE 8080/udp 9000
        RUN cat /hello
        """);
    var r = build("-t", "misc:1", ".").ok();
    assertTrue(r.out().contains("hello from scratch"), r.out());
    assertEquals("[/bin/sh -ec] SIGINT map[/data:{}] [CMD-SHELL true] 5s 2",
        docker.run("image", "inspect", "-f", "{{.Config.Shell}} {{.Config.StopSignal}} {{.Config.Volumes}} "
            + "{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}} {{.Config.Healthcheck.Retries}}",
            "misc:1").ok().line());
    build("--target", "base", "-t", "base:1", ".").ok();
    assertEquals("1 [PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin A=1]",
        docker.run("image", "inspect", "-f", "{{len .RootFS.Layers}} {{.Config.Env}}", "base:1").ok().line(),
        "ENV on scratch adds no layer; dockerd's default PATH is set on scratch too");
  }

  @Test
  void runHonoursTheBuildsHostsNetworkAndLabelsAndPruneEmptiesTheCache() throws IOException {
    Files.writeString(dir.resolve("greet.txt"), "g\n");
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM busybox:latest
        RUN grep -q "1.2.3.4.*myhost" /etc/hosts && echo hosts-ok
        RUN if grep -q eth0 /proc/net/dev; then echo has-eth0; else echo no-eth0; fi
        RUN echo "nofile $(ulimit -n) memory $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"
        COPY greet.txt /deep/new/dir/
        COPY greet.txt /deep2/file.txt
        COPY --chown=daemon:daemon greet.txt /made/by/copy/
        """);
    var r = build("--add-host", "myhost:1.2.3.4", "--network", "none", "--label", "team=core", "--ulimit",
        "nofile=512:512", "--memory", "64m", "-t", "opts:1", ".").ok();
    assertTrue(r.out().contains("nofile 512 memory 67108864"), r.out());
    assertTrue(r.out().contains("hosts-ok"), r.out());
    assertTrue(r.out().contains("no-eth0"), r.out());
    assertTrue(r.out().contains("Step 8/8 : LABEL team=core"), r.out());
    assertEquals("core", docker.run("image", "inspect", "-f", "{{index .Config.Labels \"team\"}}", "opts:1").ok()
        .line());
    assertEquals("g g", docker.run("run", "--rm", "opts:1", "sh", "-c", "echo $(cat /deep/new/dir/greet.txt "
        + "/deep2/file.txt)").ok().line());
    assertEquals("1:1 1:1 0:0", docker.run("run", "--rm", "opts:1", "stat", "-c", "%u:%g", "/made/by", "/made/by/copy",
        "/tmp/..").ok().out().replace('\n', ' ').strip(), "new directories get the copy's owner, old ones keep theirs");

    String quiet = build("-q", "--add-host", "myhost:1.2.3.4", "--network", "none", "--label", "team=core", "--ulimit",
        "nofile=512:512", "--memory", "64m", ".").ok().line();
    assertEquals(docker.run("image", "inspect", "-f", "{{.Id}}", "opts:1").ok().line(), quiet);

    docker.run("builder", "prune", "-f").ok();
    r = build("--add-host", "myhost:1.2.3.4", "--network", "none", "--ulimit", "nofile=512:512", "--memory", "64m",
        "-t", "opts:2", ".").ok();
    assertFalse(r.out().contains("Using cache"), r.out());
  }

  @Test
  void cacheFromUsesALoadedImagesHistoryForTheStepsAndYieldsThatImage() throws IOException {
    Files.writeString(dir.resolve("f.txt"), "from cache-from\n");
    Files.writeString(dir.resolve("Dockerfile"), """
        FROM busybox:latest
        ENV CF=cachefrom
        WORKDIR /cf
        COPY f.txt .
        RUN cat f.txt > g.txt
        CMD ["cat", "/cf/g.txt"]
        """);
    build("-t", "cf:1", ".").ok();
    String id = docker.run("image", "inspect", "-f", "{{.Id}}", "cf:1").ok().line();
    Path saved = dir.resolve("cf.tar");
    try {
      docker.run("save", "-o", saved.toString(), "cf:1").ok();
      docker.run("rmi", "cf:1").ok();
      docker.run("builder", "prune", "-f").ok();
      docker.run("load", "-i", saved.toString()).ok();
    } finally {
      Files.deleteIfExists(saved);
    }
    assertEquals(id, docker.run("image", "inspect", "-f", "{{.Id}}", "cf:1").ok().line());

    var r = build("-t", "cf:2", ".").ok();
    assertFalse(r.out().contains("Using cache"), r.out());
    assertNotEquals(id, docker.run("image", "inspect", "-f", "{{.Id}}", "cf:2").ok().line());

    // As dockerd: a --cache-from name that is no image is skipped, and the build's own cache
    // then counts only on the way to a source, so nothing is cached.
    r = build("--cache-from", "nosuch:image", "-t", "cf:3", ".").ok();
    assertFalse(r.out().contains("Using cache"), r.out());

    r = build("--cache-from", "nosuch:image", "--cache-from", "cf:1", "-t", "cf:4", ".").ok();
    assertEquals(5, lines(r.out(), "Using cache"), r.out());
    assertFalse(r.out().contains("Running in"), r.out());
    assertEquals(id, docker.run("image", "inspect", "-f", "{{.Id}}", "cf:4").ok().line());
    assertEquals("from cache-from", docker.run("run", "--rm", "cf:4").ok().line());

    // The steps found are remembered: the next build hits them (still on the way to cf:1).
    r = build("--cache-from", "cf:1", ".").ok();
    assertEquals(5, lines(r.out(), "Using cache"), r.out());
    assertTrue(r.out().contains("Successfully built " + id.substring(7, 19)), r.out());
  }

  @Test
  void baseImagesThatAreMissingArePulledWithTheClientsLogins() throws IOException {
    try (var locked = TestRegistry.start("berth", "s3cret")) {
      String base = locked.host() + "/base:1";
      docker.withInput("s3cret\n".getBytes(StandardCharsets.UTF_8), "login", "-u", "berth", "--password-stdin",
          locked.host()).ok();
      docker.run("tag", "busybox:latest", base).ok();
      docker.run("push", base).ok();
      docker.run("rmi", base).ok();
      Files.writeString(dir.resolve("Dockerfile"), "FROM " + base + "\nRUN echo pulled-base\n");
      var r = build("-t", "frompull:1", ".").ok();
      assertTrue(r.out().contains("pulled-base"), r.out());
      docker.run("image", "inspect", base).ok();
      r = build("--pull", "-t", "frompull:2", ".").ok();
      assertTrue(r.out().contains("Using cache"), r.out());
      docker.run("logout", locked.host()).ok();
      docker.run("rmi", base).ok();
      r = build(".");
      assertNotEquals(0, r.exit());
    }
  }

  @Test
  void badInputIsRefusedWithDockersWords() throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nFOO bar\n");
    var r = build(".");
    assertNotEquals(0, r.exit());
    assertTrue(r.stderr().contains("dockerfile parse error on line 2: unknown instruction: FOO"), r.stderr());

    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nCOPY ../x /x\n");
    r = build(".");
    assertTrue(r.stderr().contains("COPY failed: forbidden path outside the build context: ../x ()"), r.stderr());

    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nARG X\nENV Y=\"${X:?must be set}\"\n");
    r = build(".");
    assertTrue(r.stderr().contains("failed to process \"\\\"${X:?must be set}\\\"\": X: must be set"), r.stderr());

    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nCOPY --from=nowhere /a /a\n");
    r = build(".");
    assertNotEquals(0, r.exit());
    assertTrue(r.stderr().contains("invalid from flag value nowhere"), r.stderr());

    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nRUN --mount=type=cache,target=/x true\n");
    r = build(".");
    assertTrue(r.stderr().contains("the --mount option requires BuildKit"), r.stderr());

    r = build("--target", "nope", ".");
    assertTrue(r.stderr().contains("target stage \"nope\" could not be found"), r.stderr());
    assertEquals("", docker.run("ps", "-aq").ok().out());
  }

  /** POST /build with curl and a context of {@code files} (name, text, ...): the status code, then the raw stream. */
  private String buildRaw(String query, String... files) throws Exception {
    Path tar = Files.createTempFile(dir, "ctx-", ".tar");
    try (var out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      for (int i = 0; i < files.length; i += 2) {
        byte[] b = files[i + 1].getBytes(StandardCharsets.UTF_8);
        var e = new TarArchiveEntry(files[i]);
        e.setSize(b.length);
        out.putArchiveEntry(e);
        out.write(b);
        out.closeArchiveEntry();
      }
    }
    var p = new ProcessBuilder("curl", "-s", "--unix-socket", daemon.socket.toString(), "-X", "POST",
        "-H", "Content-Type: application/x-tar", "--data-binary", "@" + tar, "-w", "\n%{http_code}",
        "http://localhost/v1.51/build?rm=1" + query).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(120, TimeUnit.SECONDS);
    int nl = out.lastIndexOf('\n');
    return out.substring(nl + 1) + " " + out.substring(0, nl);
  }

  /**
   * Issue 12: status and stream as a real dockerd (20.10.24, run side by side) answers them,
   * where moby master words a text differently, in master's words.
   */
  @Test
  void statusAndStreamAreDockerds() throws Exception {
    // Instruction errors: a 400 before any step, as buildkit's instructions.Parse runs first.
    assertEquals("400 {\"message\":\"dockerfile parse error on line 2: unknown flag: foo\"}",
        buildRaw("", "Dockerfile", "FROM busybox:latest\nCOPY --foo=bar a /a\n").strip());
    assertEquals("400 {\"message\":\"dockerfile parse error on line 3: SHELL requires the arguments to be in JSON "
        + "form\"}",
        buildRaw("", "Dockerfile", "FROM busybox:latest\nRUN true\nSHELL /bin/sh\n").strip());
    assertEquals("400 {\"message\":\"failed to parse Dockerfile: ENV must have two arguments\"}",
        buildRaw("", "Dockerfile", "FROM busybox:latest\nENV X\n").strip());
    assertEquals("400 {\"message\":\"dockerfile parse error on line 2: unknown flag: foo\"}",
        buildRaw("", "Dockerfile", "FROM busybox:latest\nRUN --foo true\n").strip());
    assertEquals("400 {\"message\":\"failed to parse Dockerfile: when using JSON array syntax, arrays must be "
        + "comprised of strings only\"}", buildRaw("", "Dockerfile", "FROM busybox:latest\nCMD [\"a\", 1]\n").strip());
    assertEquals("400 {\"message\":\"failed to parse Dockerfile: invalid escape token 'x' does not match ` or \\\\\"}",
        buildRaw("", "Dockerfile", "# escape=x\nFROM busybox:latest\n").strip());
    // No Dockerfile, or one outside the context: dockerd's plain errors, a 500.
    assertEquals("500 {\"message\":\"Cannot locate specified Dockerfile: Dockerfile\"}",
        buildRaw("", "a", "x").strip());
    assertEquals("500 {\"message\":\"forbidden path outside the build context: ../Dockerfile ()\"}",
        buildRaw("&dockerfile=../Dockerfile", "Dockerfile", "FROM busybox:latest\n").strip());

    // Errors of a step: in the stream.
    String r = buildRaw("", "Dockerfile", "FROM busybox:latest\nCOPY nosuch* /x/\n");
    assertTrue(r.startsWith("200 "), r);
    assertTrue(r.contains("\"error\":\"COPY failed: no source files were specified\""), r);
    r = buildRaw("", "Dockerfile", "FROM busybox:latest\nENV Y=${X:?err}\n");
    assertTrue(r.contains("\"error\":\"failed to process \\\"${X:?err}\\\": X: err\""), r);
    r = buildRaw("", "Dockerfile", "FROM busybox:latest\nSTOPSIGNAL NOPE\n");
    assertTrue(r.contains("\"error\":\"invalid signal: NOPE\""), r);
    // A RUN's stderr in red, its own message; an empty RUN is the bare shell, which fails.
    r = buildRaw("", "Dockerfile", "FROM busybox:latest\nRUN echo out; echo err >&2; exit 3\n");
    // (Jackson writes the escape in upper-case hex, Go in lower case: the same JSON string.)
    assertTrue(r.replace("\\u001B", "\\u001b").contains("{\"stream\":\"\\u001b[91merr\\n\\u001b[0m\"}"), r);
    assertTrue(r.contains("{\"stream\":\"out\\n\"}"), r);
    assertTrue(r.contains("{\"errorDetail\":{\"code\":3,\"message\":\"The command '/bin/sh -c echo out; echo err "), r);
    r = buildRaw("", "Dockerfile", "FROM busybox:latest\nRUN\n");
    assertTrue(r.contains("The command '/bin/sh -c' returned a non-zero code: 2"), r);
    assertEquals("", docker.run("ps", "-aq").ok().out());

    // USER takes its whole rest; COPY's history keeps the destination as written.
    r = buildRaw("&t=words:1", "Dockerfile", "FROM busybox:latest\nUSER a b\nWORKDIR /w\nCOPY --chown=1:1 a ./x/\n",
        "a", "a\n");
    assertTrue(r.contains("Successfully tagged words:1"), r);
    assertEquals("a b", docker.run("image", "inspect", "-f", "{{.Config.User}}", "words:1").ok().line());
    String history = docker.run("history", "--no-trunc", "--format", "{{.CreatedBy}}", "words:1").ok().out();
    assertTrue(history.matches("(?s).*/bin/sh -c #\\(nop\\) COPY --chown=1:1 file:[0-9a-f]{64} in \\./x/ \n.*"),
        history);
  }

  /** POST on the API with curl: the status code, then the body. */
  private static String post(String pathAndQuery) throws Exception {
    var p = new ProcessBuilder("curl", "-s", "--unix-socket", daemon.socket.toString(), "-X", "POST",
        "-H", "Content-Type: application/x-tar", "--data-binary", "@/dev/null", "-w", "\n%{http_code}",
        "http://localhost" + pathAndQuery).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    int nl = out.lastIndexOf('\n');
    return out.substring(nl + 1) + " " + out.substring(0, nl);
  }

  @Test
  void whatTheClassicBuilderCannotDoIsRefusedBeforeTheContextIsRead() throws Exception {
    assertTrue(post("/v1.51/build?version=2").startsWith("400 {\"message\":\"berth has no BuildKit"),
        post("/v1.51/build?version=2"));
    assertTrue(post("/v1.51/session").startsWith("400 {\"message\":\"berth has no BuildKit"));
    assertEquals("400 {\"message\":\"squash is only supported with experimental mode\"}",
        post("/v1.51/build?squash=1"));
    assertEquals("400 {\"message\":\"invalid version \\\"3\\\"\"}", post("/v1.51/build?version=3"));
    assertTrue(post("/v1.51/build?remote=https://example.com/x.git").contains("remote context"));
    assertEquals("400 {\"message\":\"error reading cache-from: json: cannot unmarshal object into Go value of type "
        + "[]string\"}", post("/v1.51/build?cachefrom=%7B%7D"));
    assertTrue(post("/v1.51/build?t=app@sha256:" + "a".repeat(64)).contains("build tag cannot contain a digest"));
    assertEquals("200 {\"CachesDeleted\":null,\"SpaceReclaimed\":0}", post("/v1.51/build/prune"));
    // An empty context: dockerd's words for the missing Dockerfile, and nothing left behind.
    assertTrue(post("/v1.51/build?cachefrom=%5B%5D&ulimits=null").contains("Cannot locate specified Dockerfile: "
        + "Dockerfile"));
  }

  @Test
  void aContextThatClimbsOutIsRefusedAndWritesNothingOutside() throws Exception {
    var buf = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(buf)) {
      byte[] df = "FROM busybox:latest\n".getBytes(StandardCharsets.UTF_8);
      var e = new TarArchiveEntry("Dockerfile");
      e.setSize(df.length);
      tar.putArchiveEntry(e);
      tar.write(df);
      tar.closeArchiveEntry();
      var link = new TarArchiveEntry("escape", TarArchiveEntry.LF_SYMLINK);
      link.setLinkName("/tmp");
      tar.putArchiveEntry(link);
      tar.closeArchiveEntry();
      var through = new TarArchiveEntry("escape/berth-build-escape");
      through.setSize(1);
      tar.putArchiveEntry(through);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    var r = docker.inDir(dir, buf.toByteArray(), "build", "-");
    assertNotEquals(0, r.exit());
    assertFalse(Files.exists(Path.of("/tmp/berth-build-escape")));

    var dotdot = new ByteArrayOutputStream();
    try (var tar = new TarArchiveOutputStream(dotdot)) {
      var e = new TarArchiveEntry("../../berth-build-dotdot");
      e.setSize(1);
      tar.putArchiveEntry(e);
      tar.write('x');
      tar.closeArchiveEntry();
    }
    r = docker.inDir(dir, dotdot.toByteArray(), "build", "-");
    assertNotEquals(0, r.exit());
    assertTrue(r.stderr().contains("escapes"), r.stderr());
  }

  @Test
  void dockerPyBuildsAndReturnsTheImageAndItsLog() throws Exception {
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nRUN echo from-docker-py\n");
    Path script = dir.resolve("build.py");
    Files.writeString(script, """
        import sys, docker
        c = docker.DockerClient(base_url=sys.argv[1])
        img, log = c.images.build(path=sys.argv[2], tag="py:1", rm=True)
        lines = "".join(x.get("stream", "") for x in log)
        assert "from-docker-py" in lines, lines
        assert img.id.startswith("sha256:"), img.id
        assert "py:1" in img.tags, img.tags
        try:
            c.images.build(fileobj=__import__("io").BytesIO(b"FROM busybox:latest\\nRUN exit 2\\n"))
            raise SystemExit("build did not fail")
        except docker.errors.BuildError as e:
            assert "returned a non-zero code: 2" in str(e), str(e)
        print("docker-py ok")
        """);
    Process p = new ProcessBuilder("python3", script.toString(), "unix://" + daemon.socket, dir.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("docker-py ok"), out);
  }

  @Test
  void composeBuildsAndUpBuilds() throws IOException {
    Files.writeString(dir.resolve("Dockerfile"), "FROM busybox:latest\nCMD [\"echo\", \"composed\"]\n");
    Files.writeString(dir.resolve("docker-compose.yml"), """
        version: "3"
        services:
          web:
            build: .
            image: composed:1
        """);
    docker.compose(dir, "build").ok();
    var up = docker.compose(dir, "up", "--build", "--abort-on-container-exit").ok();
    assertTrue(up.out().contains("composed"), up.out());
    docker.compose(dir, "down").ok();
  }
}
