package dev.berth.server.volume;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** Wire shapes of the volume endpoints (moby api/types/volume). */
public final class VolumeJson {

  private VolumeJson() {}

  record CreateRequest(String Name, String Driver, Map<String, String> DriverOpts, Map<String, String> Labels) {}

  public record UsageData(long Size, long RefCount) {}

  public record Volume(
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String CreatedAt,
      String Driver,
      Map<String, String> Labels,
      String Mountpoint,
      String Name,
      Map<String, String> Options,
      String Scope,
      @JsonInclude(JsonInclude.Include.NON_NULL) UsageData UsageData) {}

  record ListResponse(List<Volume> Volumes, List<String> Warnings) {}

  record PruneResponse(List<String> VolumesDeleted, long SpaceReclaimed) {}
}
