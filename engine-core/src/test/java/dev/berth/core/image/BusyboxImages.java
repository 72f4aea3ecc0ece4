package dev.berth.core.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Image archives built from the host's static busybox ({@code /bin/busybox}, Debian's
 * busybox-static), for tests across the engine. Everything is deterministic (fixed mtimes and
 * created times, fixed entry order), so a builder's returned {@link ImageId} is stable on a host.
 *
 * <pre>{@code
 * ImageId id = BusyboxImages.dockerSave(dir.resolve("busybox.tar"), List.of("busybox:latest"), ImageSpec.busybox());
 * images.load(Files.newInputStream(dir.resolve("busybox.tar")), line -> {});
 * }</pre>
 */
public final class BusyboxImages {

  public static final String CREATED = "2024-01-01T00:00:00Z";
  public static final String PATH_ENV = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  public static final int APP_UID = 1000;
  public static final int NOBODY_UID = 65534;

  /** Applets linked to /bin/busybox in the rootfs. */
  public static final List<String> APPLETS = List.of("sh", "ash", "echo", "cat", "ls", "true", "false", "sleep",
      "env", "id", "pwd", "hostname", "head", "wc", "ps", "kill", "stat", "readlink", "tail", "yes", "base64",
      "sha256sum", "md5sum", "tr", "seq", "printf", "dd", "test", "[", "grep", "cut", "mkdir", "touch", "rm",
      "rmdir", "sed", "xargs", "ln", "mv", "cp", "chmod", "chown", "date", "du", "df", "find", "which", "uname",
      "whoami", "awk", "sort", "uniq", "tee", "expr", "basename", "dirname", "realpath", "mktemp", "nc", "wget",
      "ip", "top", "free", "timeout", "nproc", "vi", "less", "tar", "gzip", "gunzip", "od", "diff", "mount",
      "umount", "sync", "nsenter", "unshare", "setsid", "pidof", "killall", "mkfifo", "truncate", "usleep");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static byte[] busybox;

  private BusyboxImages() {}

  /** One history step; {@code emptyLayer} steps changed only the config. */
  public record Step(String createdBy, boolean emptyLayer) {}

  /**
   * An image: its layers as uncompressed tars (stored gzipped in archives if {@code gzip}) and
   * the config fields tests care about. {@code history} must have one non-empty step per layer.
   */
  public record ImageSpec(String architecture, List<byte[]> layers, boolean gzip, List<String> env, String user,
      String workingDir, List<String> entrypoint, List<String> cmd, String stopSignal, Map<String, String> labels,
      List<Step> history) {

    /** busybox as Docker Hub has it: the rootfs, PATH, {@code CMD ["sh"]}. */
    public static ImageSpec busybox() {
      return new ImageSpec("amd64", List.of(rootfsTar()), false, List.of(PATH_ENV), "", "", null, List.of("sh"), "",
          Map.of(), List.of(new Step("ADD rootfs.tar / # buildkit", false), new Step("CMD [\"sh\"]", true)));
    }

    /**
     * Two layers: the rootfs, then {@link #layer2Tar()} (a whiteout, an opaque directory, a symlink,
     * a file owned by app); ENV, WORKDIR, USER, ENTRYPOINT, CMD and STOPSIGNAL set.
     */
    public static ImageSpec multiLayer() {
      return new ImageSpec("amd64", List.of(rootfsTar(), layer2Tar()), false, List.of(PATH_ENV, "GREETING=hello"),
          "app", "/app", List.of("/bin/echo"), List.of("hello"), "SIGUSR1", Map.of("org.example.layers", "2"),
          List.of(new Step("ADD rootfs.tar / # buildkit", false), new Step("ENV GREETING=hello", true),
              new Step("COPY layer2 / # buildkit", false), new Step("WORKDIR /app", true), new Step("USER app", true),
              new Step("ENTRYPOINT [\"/bin/echo\"]", true), new Step("CMD [\"hello\"]", true),
              new Step("STOPSIGNAL SIGUSR1", true)));
    }

    public ImageSpec withArchitecture(String arch) {
      return new ImageSpec(arch, layers, gzip, env, user, workingDir, entrypoint, cmd, stopSignal, labels, history);
    }

    public ImageSpec withLabels(Map<String, String> newLabels) {
      return new ImageSpec(architecture, layers, gzip, env, user, workingDir, entrypoint, cmd, stopSignal, newLabels,
          history);
    }

    public ImageSpec withCmd(List<String> newCmd) {
      return new ImageSpec(architecture, layers, gzip, env, user, workingDir, entrypoint, newCmd, stopSignal, labels,
          history);
    }

    /** Layers stored gzip-compressed in archives, as registries serve them. */
    public ImageSpec gzipped() {
      return new ImageSpec(architecture, layers, true, env, user, workingDir, entrypoint, cmd, stopSignal, labels,
          history);
    }

    public List<Digest> diffIds() {
      return layers.stream().map(Digest::of).toList();
    }

    /** The layers as stored in an archive: gzipped or not. */
    public List<byte[]> blobs() {
      return gzip ? layers.stream().map(TarBuilder::gzip).toList() : layers;
    }

    /** The config JSON bytes; their digest is the image ID. */
    public byte[] config() {
      ObjectNode root = JSON.createObjectNode();
      root.put("architecture", architecture);
      ObjectNode c = root.putObject("config");
      if (!user.isEmpty()) {
        c.put("User", user);
      }
      strings(c, "Env", env);
      if (entrypoint != null) {
        strings(c, "Entrypoint", entrypoint);
      }
      if (cmd != null) {
        strings(c, "Cmd", cmd);
      }
      if (!workingDir.isEmpty()) {
        c.put("WorkingDir", workingDir);
      }
      if (!labels.isEmpty()) {
        ObjectNode l = c.putObject("Labels");
        new TreeMap<>(labels).forEach(l::put);
      }
      if (!stopSignal.isEmpty()) {
        c.put("StopSignal", stopSignal);
      }
      root.put("created", CREATED);
      ArrayNode h = root.putArray("history");
      for (Step s : history) {
        ObjectNode o = h.addObject();
        o.put("created", CREATED);
        o.put("created_by", s.createdBy());
        if (s.emptyLayer()) {
          o.put("empty_layer", true);
        }
      }
      root.put("os", "linux");
      ObjectNode rootfs = root.putObject("rootfs");
      rootfs.put("type", "layers");
      ArrayNode ids = rootfs.putArray("diff_ids");
      diffIds().forEach(d -> ids.add(d.toString()));
      return json(root);
    }

    public ImageId id() {
      return new ImageId(Digest.of(config()));
    }
  }

  /** An image with the tags an archive gives it. */
  public record Saved(List<String> repoTags, ImageSpec spec) {}

  /**
   * The busybox root filesystem: /bin/busybox and its applet links, /etc/passwd (root, app 1000,
   * nobody 65534), /etc/group, /etc/motd, /tmp (1777), /root, /home/app (owned by app),
   * /srv/data/old.txt, and empty /dev, /proc, /sys.
   */
  public static byte[] rootfsTar() {
    var t = new TarBuilder()
        .dir("bin")
        .file("bin/busybox", busybox(), 0755);
    for (String applet : APPLETS) {
      t.symlink("bin/" + applet, "busybox");
    }
    return t.dir("dev")
        .dir("etc")
        .file("etc/group", "root:x:0:\napp:x:1000:\nnogroup:x:65534:\n")
        .file("etc/motd", "welcome to berth busybox\n")
        .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"
            + "nobody:x:65534:65534:nobody:/nonexistent:/bin/false\n")
        .dir("home")
        .dir("home/app", 0755, APP_UID, APP_UID)
        .dir("proc")
        .dir("root", 0700)
        .dir("srv")
        .dir("srv/data")
        .file("srv/data/old.txt", "from layer 1\n")
        .dir("sys")
        .dir("tmp", 01777)
        .dir("usr")
        .dir("usr/bin")
        .dir("var")
        .build();
  }

  /**
   * The second layer of {@link ImageSpec#multiLayer()}: deletes /etc/motd (whiteout), makes
   * /srv/data opaque and adds new.txt there, links /usr/local/bin/greet to /bin/echo, adds
   * /app/hello.txt owned by app.
   */
  public static byte[] layer2Tar() {
    return new TarBuilder()
        .dir("app", 0755, APP_UID, APP_UID)
        .file("app/hello.txt", "hello from layer 2\n".getBytes(StandardCharsets.UTF_8), 0644, APP_UID, APP_UID)
        .dir("etc")
        .file("etc/.wh.motd", new byte[0], 0644)
        .dir("srv")
        .dir("srv/data")
        .file("srv/data/.wh..wh..opq", new byte[0], 0644)
        .file("srv/data/new.txt", "from layer 2\n")
        .dir("usr")
        .dir("usr/local")
        .dir("usr/local/bin")
        .symlink("usr/local/bin/greet", "/bin/echo")
        .build();
  }

  /** A docker-save archive as Docker 25+ writes it (OCI layout plus manifest.json). */
  public static ImageId dockerSave(Path out, List<String> repoTags, ImageSpec spec) {
    dockerSave(out, List.of(new Saved(repoTags, spec)));
    return spec.id();
  }

  public static void dockerSave(Path out, List<Saved> images) {
    var blobs = new TreeMap<String, byte[]>();
    ArrayNode manifest = JSON.createArrayNode();
    ArrayNode index = JSON.createArrayNode();
    Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
    for (Saved s : images) {
      byte[] config = s.spec().config();
      blobs.put(Digest.of(config).hex(), config);
      List<String> layerPaths = new ArrayList<>();
      for (byte[] b : s.spec().blobs()) {
        blobs.put(Digest.of(b).hex(), b);
        layerPaths.add("blobs/sha256/" + Digest.of(b).hex());
      }
      byte[] m = ociManifest(s.spec());
      blobs.put(Digest.of(m).hex(), m);
      ObjectNode item = manifest.addObject();
      item.put("Config", "blobs/sha256/" + Digest.of(config).hex());
      ArrayNode tags = item.putArray("RepoTags");
      s.repoTags().forEach(tags::add);
      ArrayNode layers = item.putArray("Layers");
      layerPaths.forEach(layers::add);
      for (String tag : s.repoTags()) {
        ImageReference ref = ImageReference.parse(tag);
        index.add(descriptor(MediaTypes.OCI_MANIFEST, m, Map.of(ArchiveReader.IMAGE_NAME_ANNOTATION, ref.toString(),
            ArchiveReader.REF_NAME_ANNOTATION, ref.tag())));
        repositories.computeIfAbsent(ref.familiarRepository(), k -> new LinkedHashMap<>())
            .put(ref.tag(), s.spec().diffIds().getLast().hex());
      }
    }
    var t = new TarBuilder().dir("blobs").dir("blobs/sha256");
    blobs.forEach((hex, b) -> t.file("blobs/sha256/" + hex, b, 0644));
    t.file("index.json", new String(json(index(index)), StandardCharsets.UTF_8))
        .file("manifest.json", new String(json(manifest), StandardCharsets.UTF_8) + "\n")
        .file("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}")
        .file("repositories", new String(json(JSON.valueToTree(repositories)), StandardCharsets.UTF_8) + "\n");
    write(out, t.build());
  }

  /** A docker-save archive in the pre-25 layout: {@code <id>.json}, {@code <v1id>/layer.tar}. */
  public static ImageId dockerSaveLegacy(Path out, List<String> repoTags, ImageSpec spec) {
    dockerSaveLegacy(out, List.of(new Saved(repoTags, spec)));
    return spec.id();
  }

  /**
   * Several images in the legacy layout. A layer another image already wrote is a symlink to that
   * first copy, as old Docker versions wrote duplicates.
   */
  public static void dockerSaveLegacy(Path out, List<Saved> images) {
    var t = new TarBuilder();
    ArrayNode manifest = JSON.createArrayNode();
    Map<Digest, String> written = new LinkedHashMap<>();
    for (Saved s : images) {
      ImageId id = s.spec().id();
      ObjectNode item = manifest.addObject();
      item.put("Config", id.digest().hex() + ".json");
      ArrayNode tags = item.putArray("RepoTags");
      s.repoTags().forEach(tags::add);
      ArrayNode layers = item.putArray("Layers");
      List<byte[]> blobs = s.spec().blobs();
      for (int i = 0; i < blobs.size(); i++) {
        String v1 = Digest.of((id + "/" + i).getBytes(StandardCharsets.UTF_8)).hex();
        Digest d = Digest.of(blobs.get(i));
        t.dir(v1).file(v1 + "/VERSION", "1.0").file(v1 + "/json", "{\"id\":\"" + v1 + "\"}");
        if (written.containsKey(d)) {
          t.symlink(v1 + "/layer.tar", "../" + written.get(d) + "/layer.tar");
        } else {
          t.file(v1 + "/layer.tar", blobs.get(i), 0644);
          written.put(d, v1);
        }
        layers.add(v1 + "/layer.tar");
      }
      t.file(id.digest().hex() + ".json", s.spec().config(), 0644);
    }
    t.file("manifest.json", new String(json(manifest), StandardCharsets.UTF_8));
    write(out, t.build());
  }

  /**
   * An OCI image layout with one image. The index entry names it both ways Docker does:
   * {@code io.containerd.image.name} (full reference) and {@code org.opencontainers.image.ref.name} (tag).
   */
  public static ImageId ociLayout(Path out, String name, ImageSpec spec) {
    ImageReference ref = ImageReference.parse(name).withDefaultTag();
    return ociLayout(out, Map.of(ArchiveReader.IMAGE_NAME_ANNOTATION, ref.toString(),
        ArchiveReader.REF_NAME_ANNOTATION, ref.tag()), spec);
  }

  /** An OCI image layout with one image whose index entry carries exactly {@code annotations}. */
  public static ImageId ociLayout(Path out, Map<String, String> annotations, ImageSpec spec) {
    var blobs = new TreeMap<String, byte[]>();
    byte[] m = addImageBlobs(blobs, spec);
    ObjectNode index = index(JSON.createArrayNode().add(descriptor(MediaTypes.OCI_MANIFEST, m, annotations)));
    writeLayout(out, blobs, index);
    return spec.id();
  }

  /**
   * An OCI image layout whose index entry is itself an index of a linux/amd64 and a linux/arm64
   * image, as {@code docker buildx} writes multi-platform images. Returns the amd64 image's ID.
   */
  public static ImageId ociLayoutMultiPlatform(Path out, String name, ImageSpec amd64, ImageSpec arm64) {
    var blobs = new TreeMap<String, byte[]>();
    ArrayNode platforms = JSON.createArrayNode();
    for (ImageSpec spec : List.of(amd64, arm64)) {
      byte[] m = addImageBlobs(blobs, spec);
      ObjectNode d = descriptor(MediaTypes.OCI_MANIFEST, m, Map.of());
      d.remove("annotations");
      d.putObject("platform").put("architecture", spec.architecture()).put("os", "linux");
      platforms.add(d);
    }
    byte[] nested = json(index(platforms));
    blobs.put(Digest.of(nested).hex(), nested);
    ImageReference ref = ImageReference.parse(name).withDefaultTag();
    ObjectNode top = index(JSON.createArrayNode().add(descriptor(MediaTypes.OCI_INDEX, nested, Map.of(
        ArchiveReader.IMAGE_NAME_ANNOTATION, ref.toString(), ArchiveReader.REF_NAME_ANNOTATION, ref.tag()))));
    writeLayout(out, blobs, top);
    return amd64.id();
  }

  /** The static busybox binary of the host. */
  public static synchronized byte[] busybox() {
    if (busybox == null) {
      try {
        busybox = Files.readAllBytes(Path.of("/bin/busybox"));
      } catch (IOException e) {
        throw new UncheckedIOException("these fixtures need /bin/busybox (Debian: busybox-static)", e);
      }
    }
    return busybox.clone();
  }

  private static byte[] addImageBlobs(Map<String, byte[]> blobs, ImageSpec spec) {
    byte[] config = spec.config();
    blobs.put(Digest.of(config).hex(), config);
    spec.blobs().forEach(b -> blobs.put(Digest.of(b).hex(), b));
    byte[] m = ociManifest(spec);
    blobs.put(Digest.of(m).hex(), m);
    return m;
  }

  private static void writeLayout(Path out, Map<String, byte[]> blobs, ObjectNode index) {
    var t = new TarBuilder().file("oci-layout", "{\"imageLayoutVersion\": \"1.0.0\"}")
        .file("index.json", new String(json(index), StandardCharsets.UTF_8))
        .dir("blobs").dir("blobs/sha256");
    blobs.forEach((hex, b) -> t.file("blobs/sha256/" + hex, b, 0644));
    write(out, t.build());
  }

  private static byte[] ociManifest(ImageSpec spec) {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2);
    m.put("mediaType", MediaTypes.OCI_MANIFEST);
    byte[] config = spec.config();
    m.set("config", descriptor(MediaTypes.OCI_CONFIG, config, Map.of()).without("annotations"));
    ArrayNode layers = m.putArray("layers");
    for (byte[] b : spec.blobs()) {
      layers.add(descriptor(spec.gzip() ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, b, Map.of())
          .without("annotations"));
    }
    return json(m);
  }

  private static ObjectNode descriptor(String mediaType, byte[] content, Map<String, String> annotations) {
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType);
    d.put("digest", Digest.of(content).toString());
    d.put("size", content.length);
    ObjectNode a = d.putObject("annotations");
    new TreeMap<>(annotations).forEach(a::put);
    return d;
  }

  private static ObjectNode index(ArrayNode manifests) {
    ObjectNode idx = JSON.createObjectNode();
    idx.put("schemaVersion", 2);
    idx.put("mediaType", MediaTypes.OCI_INDEX);
    idx.set("manifests", manifests);
    return idx;
  }

  private static void strings(ObjectNode o, String key, List<String> values) {
    ArrayNode a = o.putArray(key);
    values.forEach(a::add);
  }

  private static byte[] json(com.fasterxml.jackson.databind.JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path out, byte[] content) {
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.write(out, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
