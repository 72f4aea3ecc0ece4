package dev.berth.server.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Wire shapes of the image endpoints; field names are the spec's. */
public final class ImageJson {

  private ImageJson() {}

  record HealthConfig(List<String> Test, long Interval, long Timeout, long StartPeriod, long StartInterval, int Retries) {}

  /** As dockerd writes an image's config (the OCI image config): empty and unset fields are left out. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  record Config(
      String User,
      Map<String, Map<String, Object>> ExposedPorts,
      List<String> Env,
      List<String> Cmd,
      HealthConfig Healthcheck,
      Boolean ArgsEscaped,
      Map<String, Map<String, Object>> Volumes,
      String WorkingDir,
      List<String> Entrypoint,
      List<String> OnBuild,
      Map<String, String> Labels,
      String StopSignal,
      List<String> Shell) {}

  record GraphDriver(String Name, Map<String, String> Data) {}

  record RootFS(String Type, List<String> Layers) {}

  record Metadata(String LastTagTime) {}

  record Inspect(
      String Id,
      List<String> RepoTags,
      List<String> RepoDigests,
      String Parent,
      String Comment,
      String Created,
      String DockerVersion,
      String Author,
      Config Config,
      String Architecture,
      String Variant,
      String Os,
      long Size,
      GraphDriver GraphDriver,
      RootFS RootFS,
      Metadata Metadata) {}

  public record Summary(
      String Id,
      String ParentId,
      List<String> RepoTags,
      List<String> RepoDigests,
      long Created,
      long Size,
      long SharedSize,
      Map<String, String> Labels,
      long Containers) {}

  record HistoryItem(String Id, long Created, String CreatedBy, List<String> Tags, long Size, String Comment) {}

  /** ImageDeleteResponseItem: exactly one of the two is set. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record DeleteResponseItem(String Untagged, String Deleted) {}

  record PruneResponse(List<DeleteResponseItem> ImagesDeleted, long SpaceReclaimed) {}

  record Stream(String stream) {}

  record Status(String status) {}

  record ErrorDetail(String message) {}

  record Error(ErrorDetail errorDetail, String error) {}
}
