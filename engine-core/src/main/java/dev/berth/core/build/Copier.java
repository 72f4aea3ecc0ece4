package dev.berth.core.build;

import dev.berth.core.archive.PathStat;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.ImageId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * COPY and ADD (moby's copier and performCopy): the sources resolved in the build context or in
 * another stage or image, their checksums for the step's cache key, and the layer that copies
 * them, with the destination's missing directories and the {@code --chown} owner.
 */
final class Copier {

  /** What a COPY uses of the build it is a step of; the build owns the containers and the cache. */
  interface Step {
    /** A word with the stage's variables expanded. */
    String expand(String word);

    /** The stage's WORKDIR, empty for none. */
    String workingDir();

    /** The step's history command: {@code #(nop) <comment>} after the stage's shell. */
    List<String> nop(String comment);

    String key(List<String> cmd);

    /** True when the step was found in the cache (and is now the stage's image). */
    boolean probe(String key, List<String> cmd);

    /** {@code --from}'s stage or image; InvalidArgumentException {@code invalid from flag value ...}. */
    ImageId source(String from);

    /** A container of {@code image} that is never started, to read its files; removed by {@link #remove}. */
    String reader(ImageId image);

    void remove(String containerId);

    /** Commits the step's layer, the entries written by what {@code layer} prepares for the step's container. */
    void layer(String key, List<String> cmd, Layer layer);
  }

  /**
   * Prepares a layer's entries for the step's container (null on scratch): what can fail before
   * any entry (the owner's lookup) fails here.
   */
  @FunctionalInterface
  interface Layer {
    LayerTar.Entries prepare(String containerId);
  }

  private final StepContainers containers;
  private final BuildContext context;
  private final Path work;
  private final Step step;

  Copier(StepContainers containers, BuildContext context, Path work, Step step) {
    this.containers = containers;
    this.context = context;
    this.work = work;
    this.step = step;
  }

  /** One source: where its tar entries come from and the checksum the cache keys it by. */
  private record Source(String orig, Path path, String hash, boolean dir, boolean archive) {}

  void copy(Dockerfile.Instruction i, boolean add) {
    String name = add ? "ADD" : "COPY";
    InstructionParse.flags(i, (add ? InstructionParse.ADD_FLAGS : InstructionParse.COPY_FLAGS).toArray(String[]::new));
    for (String f : List.of("chmod", "link", "parents", "exclude", "checksum", "keep-git-dir", "unpack")) {
      if (i.flags().containsKey(f)) {
        throw new InvalidArgumentException("the --" + f + " option " + Dockerfile.REQUIRES_BUILDKIT);
      }
    }
    List<String> raw = InstructionParse.sourcesAndDest(i);
    if (raw.size() < 2) {
      throw i.error(name + " requires at least two arguments, but only one was provided. Destination could not be "
          + "determined");
    }
    var expanded = new ArrayList<String>();
    for (String w : raw) {
      expanded.add(step.expand(w));
    }
    String destRaw = expanded.getLast();
    List<String> srcs = expanded.subList(0, expanded.size() - 1);
    String chown = i.flags().get("chown") == null ? "" : step.expand(i.flags().get("chown"));
    String from = i.flags().get("from");
    String dest = normalizeDest(destRaw);
    if (from != null && !step.expand(from).isEmpty()) {
      copyFrom(name, step.expand(from), srcs, dest, destRaw, chown);
      return;
    }
    List<Source> sources;
    try {
      sources = sources(srcs, add);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(name + " failed: " + e.getMessage());
    }
    if (sources.size() > 1 && !destRaw.endsWith("/")) {
      throw manySourcesNeedADirectory(name);
    }
    String hash = sources.size() == 1 ? sources.getFirst().hash()
        : "multi:" + dev.berth.core.image.Digest.of(String.join(",", sources.stream().map(Source::hash).toList())
            .getBytes(StandardCharsets.UTF_8)).hex();
    List<String> cmd = step.nop(comment(name, chown, hash, destRaw));
    String key = step.key(cmd);
    if (step.probe(key, cmd)) {
      return;
    }
    step.layer(key, cmd, id -> {
      int[] owner = owner(id, chown);
      return tar -> {
        Set<String> made = new java.util.HashSet<>();
        for (Source s : sources) {
          if (s.archive()) {
            missingDirs(tar, id, dest, new int[] {0, 0}, made);
            LayerTar.untarInto(tar, s.path(), dest);
          } else if (s.dir()) {
            missingDirs(tar, id, dest, owner, made);
            LayerTar.tree(tar, s.path(), dest, owner);
          } else {
            String target = dest;
            if (destRaw.endsWith("/") || (id != null && containers.stat(id, dest).map(PathStat::isDirectory)
                .orElse(false))) {
              target = LayerTar.join(dest, s.path().getFileName().toString());
            }
            missingDirs(tar, id, parent(target), owner, made);
            LayerTar.file(tar, s.path(), target, owner);
          }
        }
      };
    });
  }

  /** COPY's sources in the context (moby getCopyInfosForSourcePaths); the caller words the error "COPY failed". */
  private List<Source> sources(List<String> srcs, boolean add) {
    var sources = new ArrayList<Source>();
    for (String s : srcs) {
      if (s.startsWith("http://") || s.startsWith("https://")) {
        if (!add) {
          throw new InvalidArgumentException("source can't be a URL for COPY");
        }
        // Worded as dockerd's download errors are ("ADD failed: Get ..."), the prefix added by the caller.
        throw new InvalidArgumentException("berth does not download remote sources (" + s + "); fetch it into the "
            + "build context, or RUN a download in the Dockerfile");
      }
      if (s.matches(".*[*?\\[].*")) {
        for (String m : context.glob(s)) {
          Path p = context.resolve(m);
          sources.add(source(m, p, add));
        }
        continue;
      }
      String rel = DockerIgnore.GoPathClean.clean(s);
      if (rel.equals("..") || rel.startsWith("../")) {
        throw new InvalidArgumentException("forbidden path outside the build context: " + s + " ()");
      }
      Path p = context.resolve(s);
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        throw new InvalidArgumentException("file not found in build context or excluded by .dockerignore: stat "
            + rel + ": file does not exist");
      }
      sources.add(source(s, p, add));
    }
    if (sources.isEmpty()) {
      throw new InvalidArgumentException("no source files were specified");
    }
    return sources;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  /**
   * moby's MkdirAllAndChownNew: the directories on the way to {@code dir} (itself included) that
   * do not exist yet, made 0755 with the copy's owner; existing ones keep theirs.
   */
  private void missingDirs(TarArchiveOutputStream tar, String id, String dir, int[] owner, Set<String> made)
      throws IOException {
    String r = LayerTar.rel(dir);
    if (r.isEmpty()) {
      return;
    }
    var path = new StringBuilder();
    boolean missing = id == null;
    for (String c : r.split("/")) {
      path.append('/').append(c);
      String p = path.toString();
      if (!missing) {
        missing = containers.stat(id, p).isEmpty();
      }
      if (missing && made.add(p)) {
        LayerTar.dirEntry(tar, p, 0755, owner);
      }
    }
  }

  private Source source(String orig, Path p, boolean add) {
    boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    boolean archive = add && !dir && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && LayerTar.isArchive(p);
    return new Source(orig, p, BuildContext.checksum(p), dir, archive);
  }

  private String normalizeDest(String dest) {
    String wd = step.workingDir().isEmpty() ? "/" : step.workingDir();
    String joined = dest.startsWith("/") ? dest : wd + "/" + dest;
    String clean = DockerIgnore.GoPathClean.clean(joined);
    return clean;
  }

  /** uid and gid for --chown, looked up in the destination's /etc/passwd and /etc/group (moby parseChownFlag). */
  private int[] owner(String containerId, String chown) {
    if (chown.isEmpty()) {
      return new int[] {0, 0};
    }
    String[] parts = chown.split(":", -1);
    if (parts.length > 2) {
      throw new InvalidArgumentException("invalid chown string format: " + chown);
    }
    String user = parts[0];
    String group = parts.length == 1 ? parts[0] : parts[1];
    String prefix = "unable to convert uid/gid chown string to host mapping: ";
    int uid = lookup(containerId, "/etc/passwd", user, 2, prefix + "can't find uid for user " + user
        + ": no such user: " + user);
    int gid = lookup(containerId, "/etc/group", group, 2, prefix + "can't find gid for group " + group
        + ": no such group: " + group);
    return new int[] {uid, gid};
  }

  private int lookup(String containerId, String file, String name, int field, String notFound) {
    if (name.matches("\\d+")) {
      return Integer.parseInt(name);
    }
    if (containerId == null) {
      throw new InvalidArgumentException(notFound);
    }
    String text = readFile(containerId, file).orElse("");
    for (String line : text.split("\n")) {
      String[] f = line.split(":", -1);
      if (f.length > field && f[0].equals(name)) {
        try {
          return Integer.parseInt(f[field]);
        } catch (NumberFormatException e) {
          break;
        }
      }
    }
    throw new InvalidArgumentException(notFound);
  }

  private Optional<String> readFile(String containerId, String path) {
    var buf = new java.io.ByteArrayOutputStream();
    try {
      if (containers.stat(containerId, path).isEmpty()) {
        return Optional.empty();
      }
      containers.read(containerId, path, buf);
      try (var tin = new TarArchiveInputStream(new java.io.ByteArrayInputStream(buf.toByteArray()))) {
        TarArchiveEntry e;
        while ((e = tin.getNextEntry()) != null) {
          if (e.isFile()) {
            return Optional.of(new String(tin.readAllBytes(), StandardCharsets.UTF_8));
          }
        }
      }
      return Optional.empty();
    } catch (IOException | NotFoundException e) {
      return Optional.empty();
    }
  }

  // moby performCopy: the destination as written (not joined with WORKDIR), after expansion.
  private static String comment(String name, String chown, String hash, String destRaw) {
    return name + " " + (chown.isEmpty() ? "" : "--chown=" + chown + " ") + hash + " in " + destRaw + " ";
  }

  private static InvalidArgumentException manySourcesNeedADirectory(String name) {
    return new InvalidArgumentException("When using " + name
        + " with more than one source file, the destination must be a directory and end with a /");
  }

  /** COPY --from: a stage's or an image's files, through a container of it that is never started. */
  private void copyFrom(String name, String from, List<String> srcs, String dest, String destRaw, String chown) {
    ImageId source = step.source(from);
    if (srcs.size() > 1 && !destRaw.endsWith("/")) {
      throw manySourcesNeedADirectory(name);
    }
    String hash = "from:" + dev.berth.core.image.Digest.of((source + "\n" + String.join("\n", srcs))
        .getBytes(StandardCharsets.UTF_8)).hex();
    List<String> cmd = step.nop(comment(name, chown, hash, destRaw));
    String key = step.key(cmd);
    if (step.probe(key, cmd)) {
      return;
    }
    String reader = step.reader(source);
    try {
      var paths = new ArrayList<String>();
      try {
        for (String p : srcs) {
          paths.addAll(p.matches(".*[*?\\[].*") ? expandIn(reader, p) : List.of(p));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (paths.isEmpty()) {
        throw new InvalidArgumentException(name + " failed: no source files were specified");
      }
      if (paths.size() > 1 && !destRaw.endsWith("/")) {
        throw manySourcesNeedADirectory(name);
      }
      step.layer(key, cmd, id -> {
        int[] owner = owner(id, chown);
        return tar -> {
          Set<String> made = new java.util.HashSet<>();
          for (String s : paths) {
            String path = DockerIgnore.GoPathClean.clean("/" + s);
            Optional<PathStat> st = containers.stat(reader, path);
            if (st.isEmpty()) {
              throw new InvalidArgumentException("COPY failed: stat " + path + ": file does not exist");
            }
            boolean dir = st.get().isDirectory();
            String target;
            if (dir) {
              target = dest;
              missingDirs(tar, id, dest, owner, made);
            } else {
              if (destRaw.endsWith("/") || (id != null && containers.stat(id, dest).map(PathStat::isDirectory)
                  .orElse(false))) {
                target = LayerTar.join(dest, st.get().name());
              } else {
                target = dest;
              }
              missingDirs(tar, id, parent(target), owner, made);
            }
            Path tmp = Files.createTempFile(work, "from-", ".tar");
            try {
              try (OutputStream o = Files.newOutputStream(tmp)) {
                containers.read(reader, path, o);
              }
              LayerTar.rerooted(tar, tmp, target, dir, chown.isEmpty() ? null : owner);
            } finally {
              Builder.deleteQuietly(tmp);
            }
          }
        };
      });
    } finally {
      step.remove(reader);
    }
  }

  /**
   * The paths in another image that a wildcard source names (Go's filepath.Match per path, a
   * matched directory taken whole), read from the tar of the directory above the first wildcard.
   */
  private List<String> expandIn(String reader, String pattern) throws IOException {
    String clean = DockerIgnore.GoPathClean.clean("/" + pattern);
    String[] parts = clean.substring(1).split("/");
    var base = new StringBuilder();
    for (String part : parts) {
      if (part.matches(".*[*?\\[].*")) {
        break;
      }
      base.append('/').append(part);
    }
    // A wildcard right below the root reads the whole root (dockerd walks it too); the tar of "/"
    // names its entries from the root, any other directory's from its own name.
    boolean root = base.isEmpty();
    String baseDir = root ? "/" : base.toString();
    if (!root && containers.stat(reader, baseDir).isEmpty()) {
      return List.of();
    }
    var re = java.util.regex.Pattern.compile(DockerIgnore.regex(clean.substring(1))
        .replace("(.*/)?", "[^/]*/?").replace(".*$", "[^/]*$"));
    String above = root ? "/" : parent(baseDir);
    var matches = new java.util.TreeSet<String>();
    Path tmp = Files.createTempFile(work, "glob-", ".tar");
    try {
      try (OutputStream o = Files.newOutputStream(tmp)) {
        containers.read(reader, baseDir, o);
      }
      try (var tin = new TarArchiveInputStream(new java.io.BufferedInputStream(Files.newInputStream(tmp)))) {
        TarArchiveEntry e;
        while ((e = tin.getNextEntry()) != null) {
          String abs = DockerIgnore.GoPathClean.clean(LayerTar.join(above, e.getName()));
          // The reader is a container: its /.dockerenv is no file of the image's.
          if (abs.equals("/") || abs.equals("/.dockerenv")) {
            continue;
          }
          if (re.matcher(abs.substring(1)).matches()) {
            matches.add(abs);
          }
        }
      }
    } finally {
      Builder.deleteQuietly(tmp);
    }
    // A match inside a matched directory comes with it.
    return matches.stream().filter(m -> matches.stream().noneMatch(o -> !o.equals(m) && m.startsWith(o + "/")))
        .toList();
  }
}
