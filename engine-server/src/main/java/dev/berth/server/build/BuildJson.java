package dev.berth.server.build;

/** The wire types of {@code POST /build} and {@code /build/prune}, named as in the spec. */
final class BuildJson {

  private BuildJson() {}

  /** {@code {"stream": "..."}}: text for the client's terminal. */
  record Stream(String stream) {}

  /** {@code {"aux": {"ID": "sha256:..."}}}: a stage's image (BuildResult). */
  record Aux(Id aux) {}

  record Id(String ID) {}

  /** The error that ends a build: the CLI prints errorDetail's message and exits with its code. */
  record ErrorLine(ErrorDetail errorDetail, String error) {}

  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record ErrorDetail(Integer code, String message) {}

  /** BuildCachePruneResponse. */
  record PruneResponse(java.util.List<String> CachesDeleted, long SpaceReclaimed) {}
}
