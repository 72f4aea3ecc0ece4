package dev.berth.core.build;

import dev.berth.core.error.EngineException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.error.NotFoundException;
import dev.berth.core.image.GoDuration;
import dev.berth.core.image.GoJson;
import dev.berth.core.image.Healthcheck;
import dev.berth.core.image.Image;
import dev.berth.core.image.ImageConfig;
import dev.berth.core.image.ImageId;
import dev.berth.core.image.ImageReference;
import dev.berth.core.image.ImageRunConfig;
import dev.berth.core.image.ImageService;
import dev.berth.core.image.Platform;
import dev.berth.core.image.SignalNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * One build: dockerd's classic builder (moby daemon/builder/dockerfile) step by step. Each step
 * is probed in the cache; on a miss, RUN runs a container and commits it, config steps commit an
 * empty layer through a container as dockerd does, COPY and ADD write into a container's root
 * filesystem and commit it. Every container the build makes is removed before it returns,
 * however it ends.
 */
final class Builder {

  private static final System.Logger LOG = System.getLogger(Builder.class.getName());

  static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");
  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
  private static final Pattern PORT = Pattern.compile("^(\\d+)(?:-(\\d+))?(?:/([A-Za-z]+))?$");

  private final ImageService images;
  private final StepContainers containers;
  private final BuildCache cache;
  private final BuildOptions options;
  private final BuildOutput out;
  private final BuildContext context;
  private final Path work;
  private final ShellLex lex;
  private final Set<String> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Copier copier;

  private final List<ImageId> stageImages = new ArrayList<>();
  private final Map<String, ImageId> stageNames = new LinkedHashMap<>();
  private int step;
  private int total;

  /** The state of the stage being built (moby dispatchState). */
  private static final class State {
    ImageId image;
    ImageRunConfig config = ImageRunConfig.EMPTY;
    boolean cmdSet;
    String author = "";
    String name = "";
    BuildArgs args;
  }

  private State state;
  private CacheSources sources;

  Builder(ImageService images, StepContainers containers, BuildCache cache, BuildOptions options, BuildOutput out,
      BuildContext context, Path work, char escape) {
    this.images = images;
    this.containers = containers;
    this.cache = cache;
    this.options = options;
    this.out = out;
    this.context = context;
    this.work = work;
    this.lex = new ShellLex(escape);
    this.copier = new Copier(containers, context, work, new CopyStep());
  }

  private record Stage(Dockerfile.Instruction from, List<Dockerfile.Instruction> commands, String name) {}

  /**
   * @return the last stage's image
   * @throws InvalidArgumentException for a Dockerfile dockerd refuses before it starts
   */
  ImageId build(Dockerfile df) {
    var meta = new ArrayList<Dockerfile.Instruction>();
    var stages = new ArrayList<Stage>();
    for (Dockerfile.Instruction i : df.instructions()) {
      if (i.keyword().equals("FROM")) {
        String name = stageName(i);
        InstructionParse.check(i);
        stages.add(new Stage(i, new ArrayList<>(), name));
        continue;
      }
      InstructionParse.check(i);
      if (stages.isEmpty()) {
        if (!i.keyword().equals("ARG")) {
          throw new InvalidArgumentException("no build stage in current context");
        }
        meta.add(i);
      } else {
        stages.getLast().commands().add(i);
      }
    }
    if (!options.target().isEmpty()) {
      int ix = -1;
      for (int s = 0; s < stages.size(); s++) {
        if (stages.get(s).name().equalsIgnoreCase(options.target())) {
          ix = s;
          break;
        }
      }
      if (ix < 0) {
        throw new InvalidArgumentException("target stage " + GoQuote.quote(options.target()) + " could not be found");
      }
      stages.subList(ix + 1, stages.size()).clear();
    }
    if (!stages.isEmpty()) {
      for (String key : new TreeMap<>(options.labels()).keySet()) {
        stages.getLast().commands().add(labelOption(key, options.labels().get(key)));
      }
    }
    // buildkit's PrintWarnings, as dockerd calls it before the first step.
    for (String w : df.warnings()) {
      out.stream(BuildOutput.stderr("[WARNING]: " + w + "\n"));
    }
    if (!df.warnings().isEmpty()) {
      out.stream(BuildOutput.stderr("[WARNING]: Empty continuation lines will become errors in a future release.\n"));
    }
    total = meta.size() + stages.size() + stages.stream().mapToInt(s -> s.commands().size()).sum();
    try {
      var root = new BuildArgs(options.buildArgs());
      for (Dockerfile.Instruction m : meta) {
        printStep(m.original());
        for (String[] kv : nameOrNameValues(m, root.metaValues())) {
          root.addMeta(kv[0], kv[1]);
        }
      }
      for (Stage s : stages) {
        if (!s.name().isEmpty() && stageNames.containsKey(s.name())) {
          throw new InvalidArgumentException(s.name() + " stage name already used");
        }
        state = new State();
        state.args = root.forStage();
        printStep(s.from().original());
        from(s);
        out.stream(" ---> " + shortId(state.image) + "\n");
        for (Dockerfile.Instruction c : s.commands()) {
          printStep(c.original());
          dispatch(c);
          out.stream(" ---> " + shortId(state.image) + "\n");
        }
        if (state.image != null) {
          out.aux(state.image);
        }
        stageImages.add(state.image);
        if (!s.name().isEmpty()) {
          stageNames.put(s.name(), state.image);
        }
      }
      List<String> unused = root.unused();
      if (!unused.isEmpty()) {
        out.stream("[Warning] One or more build-args [" + String.join(" ", unused) + "] were not consumed\n");
      }
      if (state == null || state.image == null) {
        throw new InvalidArgumentException("No image was generated. Is your Dockerfile empty?");
      }
      return state.image;
    } finally {
      for (String id : List.copyOf(live)) {
        removeQuietly(id);
      }
    }
  }

  private static Dockerfile.Instruction labelOption(String key, String value) {
    return new Dockerfile.Instruction("LABEL", "LABEL " + key + "=" + value, Map.of("\0literal", key), value, 0);
  }

  private static String stageName(Dockerfile.Instruction from) {
    List<String> args = List.of(from.args().isEmpty() ? new String[0] : from.args().split("\\s+"));
    if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
      String name = args.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(name).matches()) {
        throw from.error("invalid name for build stage: " + GoQuote.quote(args.get(2))
            + ", name can't start with a number or contain symbols");
      }
      return name;
    }
    if (args.size() != 1) {
      throw from.error("FROM requires either one or three arguments");
    }
    return "";
  }

  private void printStep(String original) {
    step++;
    out.stream("Step " + step + "/" + total + " : " + original);
    out.stream("\n");
  }

  static String shortId(ImageId id) {
    return id == null ? "" : id.digest().hex().substring(0, 12);
  }

  // ---- FROM ----

  private void from(Stage s) {
    Dockerfile.Instruction i = s.from();
    InstructionParse.flags(i, "platform");
    Map<String, String> meta = state.args.metaValues();
    String platform = i.flags().get("platform");
    if (platform != null) {
      String p = lex.processWord(platform, meta);
      Platform wanted;
      try {
        wanted = Platform.parse(p);
      } catch (EngineException e) {
        throw new InvalidArgumentException("failed to parse platform " + p + ": " + e.getMessage());
      }
      if (!Platform.host().accepts(wanted)) {
        throw new InvalidArgumentException("berth builds for the host's platform (" + Platform.host()
            + ") only; FROM --platform=" + p + " is not it");
      }
    }
    String base = i.args().split("\\s+")[0];
    String name = lex.processWord(base, meta);
    if (name.isEmpty()) {
      throw new InvalidArgumentException("base name (" + base + ") should not be blank");
    }
    state.name = s.name();
    sources = resolveSources();
    ImageRunConfig config;
    if (stageNames.containsKey(name.toLowerCase(Locale.ROOT))) {
      state.image = stageNames.get(name.toLowerCase(Locale.ROOT));
      config = state.image == null ? ImageRunConfig.EMPTY : images.find(state.image.toString()).config().config();
    } else if (name.equals("scratch")) {
      state.image = null;
      config = ImageRunConfig.EMPTY;
    } else {
      Image img = baseImage(name);
      state.image = img.id();
      config = img.config().config();
    }
    List<String> env = new ArrayList<>(config.env());
    if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
      env.add(DEFAULT_PATH);
    }
    state.config = RunConfigs.with(config, c -> c.env = env);
    if (config.onBuild() != null && !config.onBuild().isEmpty()) {
      List<String> triggers = config.onBuild();
      state.config = RunConfigs.with(state.config, c -> c.onBuild = null);
      // Three writes in dockerd, so three messages.
      out.stream("# Executing " + triggers.size() + " build trigger");
      if (triggers.size() > 1) {
        out.stream("s");
      }
      out.stream("\n");
      for (String t : triggers) {
        Dockerfile parsed = Dockerfile.parse(t);
        if (parsed.instructions().size() != 1) {
          throw new InvalidArgumentException("onbuild trigger should be a single expression");
        }
        dispatch(parsed.instructions().getFirst());
      }
    }
  }

  private Image baseImage(String name) {
    ImageReference ref = ImageReference.tryParse(name).orElse(null);
    if (options.pull() && ref != null) {
      out.pull(ref.withDefaultTag());
    }
    try {
      return images.find(name);
    } catch (NotFoundException e) {
      if (ref == null || options.pull()) {
        throw e;
      }
    }
    out.pull(ref.withDefaultTag());
    return images.find(name);
  }

  // ---- dispatch ----

  private Map<String, String> env() {
    var m = new LinkedHashMap<String, String>();
    for (String e : state.config.env()) {
      int eq = e.indexOf('=');
      m.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
    }
    for (String e : state.args.filterAllowed(state.config.env())) {
      int eq = e.indexOf('=');
      m.put(e.substring(0, eq), e.substring(eq + 1));
    }
    return m;
  }

  private String expand(String word) {
    return lex.processWord(word, env());
  }

  private void dispatch(Dockerfile.Instruction i) {
    switch (i.keyword()) {
      case "ENV" -> env(i);
      case "LABEL" -> label(i);
      case "MAINTAINER" -> {
        InstructionParse.flags(i);
        if (i.args().isEmpty()) {
          throw i.error("MAINTAINER requires exactly one argument");
        }
        state.author = i.args();
        commit("MAINTAINER " + i.args());
      }
      case "ARG" -> arg(i);
      case "USER" -> {
        InstructionParse.flags(i);
        String user = single(i, "USER");
        state.config = RunConfigs.with(state.config, c -> c.user = user);
        commit("USER " + user);
      }
      case "WORKDIR" -> workdir(i);
      case "EXPOSE" -> expose(i);
      case "VOLUME" -> volume(i);
      case "STOPSIGNAL" -> {
        InstructionParse.flags(i);
        String sig = single(i, "STOPSIGNAL");
        checkSignal(sig);
        state.config = RunConfigs.with(state.config, c -> c.stopSignal = sig);
        commit("STOPSIGNAL " + sig);
      }
      case "SHELL" -> {
        InstructionParse.flags(i);
        List<String> shell = GoJson.stringArray(i.args());
        if (shell == null) {
          throw i.error("SHELL requires the arguments to be in JSON form");
        }
        if (shell.isEmpty()) {
          throw i.error("SHELL requires at least one argument");
        }
        state.config = RunConfigs.with(state.config, c -> c.shell = shell);
        commit("SHELL [" + String.join(" ", shell) + "]");
      }
      case "CMD" -> {
        InstructionParse.flags(i);
        List<String> cmd = commandLine(i.args());
        state.config = RunConfigs.with(state.config, c -> {
          c.cmd = cmd;
          c.argsEscaped = false;
        });
        commit("CMD " + GoQuote.quoteList(cmd));
        if (!i.args().isEmpty()) {
          state.cmdSet = true;
        }
      }
      case "ENTRYPOINT" -> {
        InstructionParse.flags(i);
        List<String> ep = commandLine(i.args());
        boolean cmdSet = state.cmdSet;
        state.config = RunConfigs.with(state.config, c -> {
          c.entrypoint = ep;
          c.argsEscaped = false;
          if (!cmdSet) {
            c.cmd = null;
          }
        });
        commit("ENTRYPOINT " + GoQuote.quoteList(ep));
      }
      case "HEALTHCHECK" -> healthcheck(i);
      case "ONBUILD" -> onbuild(i);
      case "RUN" -> run(i);
      case "COPY" -> copier.copy(i, false);
      case "ADD" -> copier.copy(i, true);
      case "FROM" -> throw i.error("FROM isn't allowed as an ONBUILD trigger");
      default -> throw i.error("unknown instruction: " + i.keyword());
    }
  }

  /** USER, WORKDIR, STOPSIGNAL: the whole rest is the one argument (buildkit's parseString), expanded. */
  private String single(Dockerfile.Instruction i, String name) {
    if (i.args().isEmpty()) {
      throw i.error(name + " requires exactly one argument");
    }
    return expand(i.args());
  }



  private List<String> shell() {
    return state.config.shell() != null && !state.config.shell().isEmpty() ? state.config.shell() : DEFAULT_SHELL;
  }

  private List<String> commandLine(String args) {
    List<String> exec = GoJson.stringArray(args);
    if (exec != null) {
      return exec;
    }
    var cmd = new ArrayList<>(shell());
    if (!args.isEmpty()) {
      cmd.add(args);
    }
    return cmd;
  }

  // ---- config steps ----

  private void env(Dockerfile.Instruction i) {
    InstructionParse.flags(i);
    Map<String, String> pairs = keyValues(i, "ENV", true);
    var env = new ArrayList<>(state.config.env());
    var msg = new StringBuilder("ENV");
    pairs.forEach((k, v) -> {
      String entry = k + "=" + v;
      msg.append(' ').append(entry);
      boolean found = false;
      for (int x = 0; x < env.size(); x++) {
        String e = env.get(x);
        if (e.equals(k) || e.startsWith(k + "=")) {
          env.set(x, entry);
          found = true;
          break;
        }
      }
      if (!found) {
        env.add(entry);
      }
    });
    state.config = RunConfigs.with(state.config, c -> c.env = env);
    commit(msg.toString());
  }

  private void label(Dockerfile.Instruction i) {
    Map<String, String> pairs;
    if (i.flags().containsKey("\0literal")) {
      pairs = Map.of(i.flags().get("\0literal"), i.args());
    } else {
      InstructionParse.flags(i);
      pairs = keyValues(i, "LABEL", true);
    }
    var labels = new LinkedHashMap<>(state.config.labels());
    var msg = new StringBuilder("LABEL");
    pairs.forEach((k, v) -> {
      labels.put(k, v);
      msg.append(' ').append(k).append('=').append(v);
    });
    state.config = RunConfigs.with(state.config, c -> c.labels = labels);
    commit(msg.toString());
  }

  /** {@code k=v k2="v 2"}, or the legacy {@code k v w} (one pair, the value the rest), expanded. */
  private Map<String, String> keyValues(Dockerfile.Instruction i, String name, boolean expand) {
    List<String> raw = InstructionArgs.words(i.args());
    if (raw.isEmpty()) {
      throw i.error(name + " requires at least one argument");
    }
    var out = new LinkedHashMap<String, String>();
    Map<String, String> env = env();
    if (!raw.getFirst().contains("=")) {
      String[] parts = i.args().split("\\s+", 2);
      if (parts.length < 2) {
        throw i.error(name + " must have two arguments");
      }
      out.put(lex.processWord(parts[0], env), lex.processWord(parts[1].strip(), env));
      return out;
    }
    for (String w : raw) {
      int eq = w.indexOf('=');
      if (eq < 0) {
        throw i.error("Syntax error - can't find = in " + GoQuote.quote(w) + ". Must be of the form: name=value");
      }
      if (eq == 0) {
        throw i.error(name + " names can not be blank");
      }
    }
    for (String w : raw) {
      int eq = w.indexOf('=');
      out.put(lex.processWord(w.substring(0, eq), env), lex.processWord(w.substring(eq + 1), env));
    }
    return out;
  }

  private List<String[]> nameOrNameValues(Dockerfile.Instruction i, Map<String, String> env) {
    InstructionParse.flags(i);
    List<String> raw = InstructionArgs.words(i.args());
    if (raw.isEmpty()) {
      throw i.error("ARG requires at least one argument");
    }
    var out = new ArrayList<String[]>();
    for (String w : raw) {
      int eq = w.indexOf('=');
      String key = eq < 0 ? w : w.substring(0, eq);
      if (key.isEmpty()) {
        throw i.error("ARG names can not be blank");
      }
      out.add(new String[] {key, eq < 0 ? null : lex.processWord(w.substring(eq + 1), env)});
    }
    return out;
  }

  private void arg(Dockerfile.Instruction i) {
    var parts = new ArrayList<String>();
    for (String[] kv : nameOrNameValues(i, env())) {
      state.args.add(kv[0], kv[1]);
      parts.add(kv[1] == null ? kv[0] : kv[0] + "=" + kv[1]);
    }
    commit("ARG " + String.join(" ", parts));
  }

  private void expose(Dockerfile.Instruction i) {
    InstructionParse.flags(i);
    if (i.args().isEmpty()) {
      throw i.error("EXPOSE requires at least one argument");
    }
    var ports = new ArrayList<String>();
    for (String w : i.args().split("\\s+")) {
      ports.addAll(lex.processWords(w, env()));
    }
    var exposed = new LinkedHashSet<>(state.config.exposedPorts());
    for (String p : ports) {
      var m = PORT.matcher(p);
      if (!m.matches()) {
        throw new InvalidArgumentException("invalid containerPort: " + p.split("/")[0]);
      }
      String proto = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
      if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
        throw new InvalidArgumentException("invalid proto: " + proto);
      }
      int start = Integer.parseInt(m.group(1));
      int end = m.group(2) == null ? start : Integer.parseInt(m.group(2));
      for (int port = start; port <= end; port++) {
        exposed.add(port + "/" + proto);
      }
    }
    state.config = RunConfigs.with(state.config, c -> c.exposedPorts = exposed);
    commit("EXPOSE " + String.join(" ", ports));
  }

  private void volume(Dockerfile.Instruction i) {
    InstructionParse.flags(i);
    List<String> vols = GoJson.stringArray(i.args());
    if (vols == null) {
      vols = i.args().isEmpty() ? List.of() : List.of(i.args().split("\\s+"));
    }
    if (vols.isEmpty()) {
      throw i.error("VOLUME requires at least one argument");
    }
    var volumes = new LinkedHashSet<>(state.config.volumes());
    var added = new ArrayList<String>();
    for (String v : vols) {
      String e = expand(v).strip();
      if (e.isEmpty()) {
        throw i.error("VOLUME specified can not be an empty string");
      }
      volumes.add(e);
      added.add(e);
    }
    state.config = RunConfigs.with(state.config, c -> c.volumes = volumes);
    commit("VOLUME [" + String.join(" ", added) + "]");
  }

  /** moby's signal.ParseSignal: a number other than 0, or a name its SignalMap knows. */
  private static void checkSignal(String sig) {
    if (!SignalNames.valid(sig)) {
      throw new InvalidArgumentException("invalid signal: " + sig);
    }
  }

  private void healthcheck(Dockerfile.Instruction i) {
    InstructionParse.flags(i, InstructionParse.HEALTHCHECK_FLAGS.toArray(String[]::new));
    Healthcheck hc = HealthcheckInstruction.parse(i);
    Healthcheck old = state.config.healthcheck();
    if (old != null && old.test() != null && !old.test().isEmpty() && !old.test().getFirst().equals("NONE")) {
      out.stream("Note: overriding previous HEALTHCHECK: [" + String.join(" ", old.test()) + "]\n");
    }
    Healthcheck set = hc;
    state.config = RunConfigs.with(state.config, c -> c.healthcheck = set);
    commit("HEALTHCHECK &{Test:[" + String.join(" ", hc.test()) + "] Interval:" + GoDuration.format(hc.interval())
        + " Timeout:" + GoDuration.format(hc.timeout()) + " StartPeriod:" + GoDuration.format(hc.startPeriod())
        + " StartInterval:" + GoDuration.format(hc.startInterval()) + " Retries:" + hc.retries() + "}");
  }

  private void onbuild(Dockerfile.Instruction i) {
    InstructionParse.onbuild(i);
    var list = new ArrayList<String>(state.config.onBuild() == null ? List.of() : state.config.onBuild());
    list.add(i.args());
    state.config = RunConfigs.with(state.config, c -> c.onBuild = list);
    commit("ONBUILD " + i.args());
  }

  private void workdir(Dockerfile.Instruction i) {
    InstructionParse.flags(i);
    String dir = single(i, "WORKDIR");
    String current = state.config.workingDir();
    String wd = DockerIgnore.GoPathClean.clean(dir.startsWith("/") ? dir : (current.isEmpty() ? "/" : current) + "/" + dir);
    state.config = RunConfigs.with(state.config, c -> c.workingDir = wd);
    List<String> cmd = nop("WORKDIR " + wd, false);
    String key = key(cmd);
    if (probe(key, cmd)) {
      return;
    }
    if (state.image == null) {
      commitLayer(key, cmd, tar -> LayerTar.dirEntries(tar, wd));
      return;
    }
    String id = createStep(cmd);
    try {
      if (containers.stat(id, wd).isEmpty()) {
        extractInto(id, tar -> LayerTar.dirEntries(tar, wd));
      }
      commitStep(id, key, cmd);
    } catch (RuntimeException e) {
      fail(id);
      throw e;
    }
    finishStep(id);
  }

  // ---- commits ----

  /** The step's history command: the shell, then dockerd's {@code #(nop)} comment in one or two words. */
  private List<String> nop(String comment, boolean twoWords) {
    var cmd = new ArrayList<>(shell());
    if (twoWords) {
      cmd.add("#(nop) ");
      cmd.add(comment);
    } else {
      cmd.add("#(nop) " + comment);
    }
    return cmd;
  }

  /** A cache key: the history command and the config the step commits, in a canonical form. */
  private String key(List<String> cmd) {
    return String.join("\u0000", cmd) + "\n" + Canonical.of(state.config) + "\n" + state.author;
  }

  /**
   * The step's image from the cache: berth's own, and with {@code --cache-from} the sources
   * (where a hit of berth's own counts only on the way to a source, as in dockerd).
   */
  private boolean probe(String key, List<String> cmd) {
    if (options.noCache()) {
      return false;
    }
    Optional<ImageId> hit = cache.probe(state.image, key, id -> {
      try {
        images.find(id.toString());
        return true;
      } catch (NotFoundException e) {
        return false;
      }
    });
    if (sources != null) {
      hit = hit.filter(id -> sources.leadsTo(images.find(id.toString()).config()));
      if (hit.isEmpty()) {
        hit = fromSources(key, cmd);
      }
    }
    if (hit.isEmpty()) {
      return false;
    }
    out.stream(" ---> Using cache\n");
    state.image = hit.get();
    return true;
  }

  /** A {@code --cache-from} hit: the source itself, or an image restored from its layers; remembered in the cache. */
  private Optional<ImageId> fromSources(String key, List<String> cmd) {
    ImageConfig parent = state.image == null ? null : images.find(state.image.toString()).config();
    Optional<CacheSources.Match> match = sources.match(parent, String.join(" ", cmd), state.config);
    if (match.isEmpty()) {
      return Optional.empty();
    }
    ImageId id = match.get().restored() == null ? match.get().source().id() : images.restore(match.get().restored());
    cache.store(state.image, key, id);
    return Optional.of(id);
  }

  /**
   * moby's prober Reset at each FROM: the {@code --cache-from} images as they are now; a name
   * that is no image here is skipped, as dockerd logs and skips it. Null without {@code --cache-from}.
   */
  private CacheSources resolveSources() {
    if (options.cacheFrom().isEmpty()) {
      return null;
    }
    var found = new ArrayList<Image>();
    for (String ref : options.cacheFrom()) {
      try {
        found.add(images.find(ref));
      } catch (NotFoundException | InvalidArgumentException e) {
        LOG.log(System.Logger.Level.WARNING, "Could not look up " + ref + " for cache resolution, skipping: "
            + e.getMessage());
      }
    }
    return new CacheSources(found);
  }

  /** A config step (moby commit): probe, else a container committed with the new config. */
  private void commit(String comment) {
    List<String> cmd = nop(comment, true);
    String key = key(cmd);
    if (probe(key, cmd)) {
      return;
    }
    if (state.image == null) {
      commitLayer(key, cmd, tar -> {});
      return;
    }
    String id = createStep(cmd);
    try {
      commitStep(id, key, cmd);
    } catch (RuntimeException e) {
      fail(id);
      throw e;
    }
    finishStep(id);
  }

  private String createStep(List<String> cmd) {
    String id = containers.create(state.image, state.config, cmd, null, state.config.env(), false, options);
    live.add(id);
    out.stream(" ---> Running in " + id.substring(0, 12) + "\n");
    return id;
  }

  private void commitStep(String id, String key, List<String> cmd) {
    ImageId parent = state.image;
    state.image = containers.commit(id, state.config, state.author, String.join(" ", cmd));
    cache.store(parent, key, state.image);
  }

  /** After a successful step: the container goes (rm, forcerm), as dockerd reports it. */
  private void finishStep(String id) {
    if (options.remove() || options.forceRemove()) {
      removeQuietly(id);
      out.stream(" ---> Removed intermediate container " + id.substring(0, 12) + "\n");
    }
  }

  /**
   * After a failed step: removed as well. dockerd keeps it unless forcerm; berth leaves nothing
   * behind a failed build (issue 12), and says so only where dockerd would.
   */
  private void fail(String id) {
    removeQuietly(id);
    if (options.forceRemove()) {
      try {
        out.stream(" ---> Removed intermediate container " + id.substring(0, 12) + "\n");
      } catch (RuntimeException clientGone) {
        // nothing to tell
      }
    }
  }

  private void removeQuietly(String id) {
    try {
      containers.remove(id);
    } catch (NotFoundException e) {
      // already gone
    } finally {
      live.remove(id);
    }
  }

  /** A layer written directly on top of nothing (FROM scratch, no image yet). */
  private void commitLayer(String key, List<String> cmd, LayerTar.Entries body) {
    Path tar = writeTar(body);
    try {
      ImageId parent = state.image;
      state.image = images.commit(parent, o -> Files.copy(tar, o),
          new ImageService.CommitInfo(state.config, List.of(), state.author, "", String.join(" ", cmd), null));
      cache.store(parent, key, state.image);
    } finally {
      deleteQuietly(tar);
    }
  }

  // ---- RUN ----

  private void run(Dockerfile.Instruction i) {
    for (String f : i.flags().keySet()) {
      throw new InvalidArgumentException("the --" + f + " option " + Dockerfile.REQUIRES_BUILDKIT);
    }
    if (state.image == null) {
      throw new InvalidArgumentException("Please provide a source image with `from` prior to run");
    }
    List<String> cmd = commandLine(i.args());
    List<String> buildArgs = state.args.filterAllowed(state.config.env());
    List<String> saveCmd = cmd;
    if (!buildArgs.isEmpty()) {
      var kept = new ArrayList<String>();
      for (String e : buildArgs) {
        if (state.args.referencedOrNotBuiltin(e.substring(0, e.indexOf('=')))) {
          kept.add(e);
        }
      }
      kept.sort(null);
      var s = new ArrayList<String>();
      s.add("|" + kept.size());
      s.addAll(kept);
      s.addAll(cmd);
      saveCmd = s;
    }
    List<String> history = saveCmd;
    String key = key(saveCmd);
    if (probe(key, saveCmd)) {
      return;
    }
    var env = new ArrayList<>(state.config.env());
    env.addAll(buildArgs);
    String id = containers.create(state.image, state.config, cmd, List.of(""), env, true, options);
    live.add(id);
    out.stream(" ---> Running in " + id.substring(0, 12) + "\n");
    var gone = new java.util.concurrent.atomic.AtomicBoolean();
    Thread watch = Thread.ofVirtual().name("build-watch-" + id.substring(0, 12)).start(() -> watch(id, gone));
    try {
      int code;
      try {
        code = containers.run(id, out::stream);
      } finally {
        watch.interrupt();
      }
      if (gone.get()) {
        throw new UncheckedIOException(new IOException("the client went away: build cancelled"));
      }
      if (code != 0) {
        throw new StepFailedException("The command '" + String.join(" ", cmd) + "' returned a non-zero code: " + code,
            code);
      }
      ImageId parent = state.image;
      state.image = containers.commit(id, state.config, state.author, String.join(" ", history));
      cache.store(parent, key, state.image);
    } catch (RuntimeException e) {
      fail(id);
      throw e;
    }
    finishStep(id);
  }

  /**
   * While a RUN runs: a client that went away (moby cancels the request's context) has its step
   * container removed at once, which ends the step; the build then stops and removes the rest.
   */
  private void watch(String id, java.util.concurrent.atomic.AtomicBoolean gone) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(1000);
        try {
          out.heartbeat();
        } catch (RuntimeException e) {
          gone.set(true);
          removeQuietly(id);
          return;
        }
      }
    } catch (InterruptedException e) {
      // the step ended
    }
  }

  /**
   * A COPY/ADD layer: into a container of the current image (no "Running in", as dockerd writes
   * straight into a layer there), or straight as a layer on scratch.
   */
  private void writeLayer(String key, List<String> cmd, Copier.Layer layer) {
    if (state.image == null) {
      commitLayer(key, cmd, layer.prepare(null));
      return;
    }
    String id = containers.create(state.image, state.config, cmd, null, state.config.env(), false, options);
    live.add(id);
    try {
      extractInto(id, layer.prepare(id));
      ImageId parent = state.image;
      state.image = containers.commit(id, state.config, state.author, String.join(" ", cmd));
      cache.store(parent, key, state.image);
    } finally {
      removeQuietly(id);
    }
  }

  private void extractInto(String id, LayerTar.Entries body) {
    Path tar = writeTar(body);
    try (InputStream in = Files.newInputStream(tar)) {
      containers.extract(id, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteQuietly(tar);
    }
  }

  private Path writeTar(LayerTar.Entries body) {
    try {
      Path tar = Files.createTempFile(work, "layer-", ".tar");
      try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(tar), 1 << 16);
          // 512-byte blocks, as Go writes them: a tar with no entries is then moby's empty layer.
          var t = new TarArchiveOutputStream(o, 512, StandardCharsets.UTF_8.name())) {
        t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        t.setAddPaxHeadersForNonAsciiNames(true);
        body.write(t);
        t.finish();
      }
      return tar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // scratch space, cleared at start-up
    }
  }

  /** COPY --from's source: a stage (by name or index) or an image, pulled if need be (moby getImageMount). */
  private ImageId copySource(String from) {
    ImageId source;
    String lower = from.toLowerCase(Locale.ROOT);
    if (stageNames.containsKey(lower)) {
      source = stageNames.get(lower);
    } else if (from.matches("\\d+")) {
      int ix = Integer.parseInt(from);
      if (ix == stageImages.size()) {
        throw new InvalidArgumentException("invalid from flag value " + from + ": refers to current build stage");
      }
      if (ix > stageImages.size()) {
        throw new InvalidArgumentException("invalid from flag value " + from + ": index out of bounds");
      }
      source = stageImages.get(ix);
    } else {
      try {
        source = baseImage(from).id();
      } catch (EngineException e) {
        throw new InvalidArgumentException("invalid from flag value " + from + ": " + e.getMessage());
      }
    }
    if (source == null) {
      throw new InvalidArgumentException("invalid from flag value " + from + ": the stage has no files (FROM scratch"
          + " with no step that wrote any)");
    }
    return source;
  }

  /** What COPY and ADD use of the build: the stage's state, its cache and its step containers. */
  private final class CopyStep implements Copier.Step {
    @Override
    public String expand(String word) {
      return Builder.this.expand(word);
    }

    @Override
    public String workingDir() {
      return state.config.workingDir();
    }

    @Override
    public List<String> nop(String comment) {
      return Builder.this.nop(comment, false);
    }

    @Override
    public String key(List<String> cmd) {
      return Builder.this.key(cmd);
    }

    @Override
    public boolean probe(String key, List<String> cmd) {
      return Builder.this.probe(key, cmd);
    }

    @Override
    public ImageId source(String from) {
      return copySource(from);
    }

    @Override
    public String reader(ImageId image) {
      String id = containers.create(image, ImageRunConfig.EMPTY, List.of("/bin/sh", "-c", "#(nop) "), null,
          List.of(), false, options);
      live.add(id);
      return id;
    }

    @Override
    public void remove(String containerId) {
      removeQuietly(containerId);
    }

    @Override
    public void layer(String key, List<String> cmd, Copier.Layer layer) {
      writeLayer(key, cmd, layer);
    }
  }
}
