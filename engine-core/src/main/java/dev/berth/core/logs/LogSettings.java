package dev.berth.core.logs;

/**
 * A log driver's checked options: what the pump writes and how it rotates.
 *
 * @param maxSize rotate once the current file has this many bytes; -1 never
 * @param maxFiles how many files are kept, the current one included
 * @param compress gzip rotated files ({@code .1.gz}, ...), as dockerd does
 * @param attributes which of the container's labels and environment each entry carries
 */
public record LogSettings(LogDriver driver, long maxSize, int maxFiles, boolean compress, Attributes attributes) {

  public static final LogSettings NONE = new LogSettings(LogDriver.NONE, -1, 1, false, Attributes.NONE);

  public LogSettings {
    attributes = attributes == null ? Attributes.NONE : attributes;
    if (maxFiles < 1) {
      throw new IllegalArgumentException("maxFiles " + maxFiles);
    }
  }

  /**
   * moby logger.Info.ExtraAttributes: the labels and environment variables (comma-separated names,
   * or a regular expression over names) whose values go with every entry as {@code attrs}, and the
   * {@code tag} (moby loggerutils.ParseLogTag), which json-file and local add when it is not empty.
   */
  public record Attributes(String labels, String labelsRegex, String env, String envRegex, LogTag tag) {
    public static final Attributes NONE = new Attributes("", "", "", "");

    /** Labels and environment, no tag. */
    public Attributes(String labels, String labelsRegex, String env, String envRegex) {
      this(labels, labelsRegex, env, envRegex, LogTag.NONE);
    }

    public Attributes {
      tag = tag == null ? LogTag.NONE : tag;
      labels = labels == null ? "" : labels;
      labelsRegex = labelsRegex == null ? "" : labelsRegex;
      env = env == null ? "" : env;
      envRegex = envRegex == null ? "" : envRegex;
      for (String re : new String[] {labelsRegex, envRegex}) {
        if (!re.isEmpty()) {
          try {
            java.util.regex.Pattern.compile(re);
          } catch (java.util.regex.PatternSyntaxException e) {
            throw new dev.berth.core.error.InvalidArgumentException("error parsing regexp: " + e.getDescription()
                + ": `" + re + "`");
          }
        }
      }
    }

    /**
     * The attributes of a container with these labels and environment ({@code KEY=value}), sorted
     * by key, with its rendered {@code tag} (which wins over a label or variable named tag, as in dockerd).
     */
    public java.util.SortedMap<String, String> of(java.util.Map<String, String> containerLabels,
        java.util.List<String> containerEnv, LogTag.Subject subject) {
      var out = of(containerLabels, containerEnv);
      String rendered = tag.render(subject);
      if (!rendered.isEmpty()) {
        out.put("tag", rendered);
      }
      return out;
    }

    /** The attributes of a container with these labels and environment ({@code KEY=value}), sorted by key. */
    public java.util.SortedMap<String, String> of(java.util.Map<String, String> containerLabels,
        java.util.List<String> containerEnv) {
      var out = new java.util.TreeMap<String, String>();
      if (!labels.isEmpty() || !labelsRegex.isEmpty()) {
        var names = new java.util.HashSet<>(java.util.Arrays.asList(labels.split(",")));
        var re = labelsRegex.isEmpty() ? null : java.util.regex.Pattern.compile(labelsRegex);
        containerLabels.forEach((k, v) -> {
          if (names.contains(k) || re != null && re.matcher(k).find()) {
            out.put(k, v);
          }
        });
      }
      if (!env.isEmpty() || !envRegex.isEmpty()) {
        var names = new java.util.HashSet<>(java.util.Arrays.asList(env.split(",")));
        var re = envRegex.isEmpty() ? null : java.util.regex.Pattern.compile(envRegex);
        for (String kv : containerEnv) {
          int eq = kv.indexOf('=');
          if (eq < 0) {
            continue;
          }
          String k = kv.substring(0, eq);
          if (names.contains(k) || re != null && re.matcher(k).find()) {
            out.put(k, kv.substring(eq + 1));
          }
        }
      }
      return out;
    }
  }
}
