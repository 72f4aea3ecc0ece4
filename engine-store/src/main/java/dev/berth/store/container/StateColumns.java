package dev.berth.store.container;

import dev.berth.core.container.model.ContainerState;
import dev.berth.core.error.InternalException;
import dev.berth.store.Timestamps;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * A {@link ContainerState} as the state columns of a {@code containers} row: {@code status} says
 * which variant, the other columns hold that variant's fields and are null otherwise.
 */
record StateColumns(
    String status,
    Integer pid,
    Integer monitorPid,
    Long monitorStartTime,
    Integer exitCode,
    Instant startedAt,
    Instant finishedAt,
    String error,
    Boolean oomKilled,
    Boolean stoppedByUser) {

  /** Parameter count of {@link #bind}. */
  static final int WIDTH = 10;

  static StateColumns of(ContainerState state) {
    return switch (state) {
      case ContainerState.Created c ->
          new StateColumns("created", null, null, null, c.exitCode(), null, null, c.error(), null, null);
      case ContainerState.Running r -> new StateColumns("running", r.pid(), r.monitorPid(), r.monitorStartTime(), null,
          r.startedAt(), null, null, r.oomKilled(), null);
      case ContainerState.Paused p -> new StateColumns("paused", p.pid(), p.monitorPid(), p.monitorStartTime(), null,
          p.startedAt(), null, null, p.oomKilled(), null);
      case ContainerState.Exited e -> new StateColumns("exited", null, null, null, e.exitCode(), e.startedAt(),
          e.finishedAt(), e.error(), e.oomKilled(), e.stoppedByUser());
      case ContainerState.Restarting x -> new StateColumns("restarting", null, null, null, x.exitCode(), x.startedAt(),
          x.finishedAt(), null, x.oomKilled(), null);
      case ContainerState.Dead d ->
          new StateColumns("dead", null, null, null, null, d.startedAt(), d.finishedAt(), d.error(), null, null);
    };
  }

  ContainerState toState(String containerId) {
    return switch (status) {
      case "created" -> new ContainerState.Created(exitCode, error);
      case "running" -> new ContainerState.Running(pid, monitorPid, monitorStartTime, startedAt, isTrue(oomKilled));
      case "paused" -> new ContainerState.Paused(pid, monitorPid, monitorStartTime, startedAt, isTrue(oomKilled));
      case "exited" -> new ContainerState.Exited(exitCode, startedAt, finishedAt, error, oomKilled, stoppedByUser);
      case "restarting" -> new ContainerState.Restarting(exitCode, startedAt, finishedAt, isTrue(oomKilled));
      case "dead" -> new ContainerState.Dead(startedAt, finishedAt, error);
      default -> throw new InternalException("container " + containerId + " has unknown status " + status);
    };
  }

  static StateColumns read(ResultSet rs) throws SQLException {
    Integer oomKilled = nullableInt(rs, "oom_killed");
    Integer stoppedByUser = nullableInt(rs, "stopped_by_user");
    return new StateColumns(
        rs.getString("status"),
        nullableInt(rs, "pid"),
        nullableInt(rs, "monitor_pid"),
        nullableLong(rs, "monitor_start_time"),
        nullableInt(rs, "exit_code"),
        Timestamps.parse(rs.getString("started_at")),
        Timestamps.parse(rs.getString("finished_at")),
        rs.getString("error"),
        oomKilled == null ? null : oomKilled != 0,
        stoppedByUser == null ? null : stoppedByUser != 0);
  }

  /** Binds status, pid, monitor_pid, monitor_start_time, exit_code, started_at, finished_at, error, oom_killed,
   * stopped_by_user. */
  void bind(PreparedStatement ps, int first) throws SQLException {
    int i = first;
    ps.setString(i++, status);
    setInt(ps, i++, pid);
    setInt(ps, i++, monitorPid);
    if (monitorStartTime == null) {
      ps.setNull(i++, Types.INTEGER);
    } else {
      ps.setLong(i++, monitorStartTime);
    }
    setInt(ps, i++, exitCode);
    ps.setString(i++, Timestamps.format(startedAt));
    ps.setString(i++, Timestamps.format(finishedAt));
    ps.setString(i++, error);
    setInt(ps, i++, oomKilled == null ? null : oomKilled ? 1 : 0);
    setInt(ps, i, stoppedByUser == null ? null : stoppedByUser ? 1 : 0);
  }

  // Rows written before a variant kept oom_killed have NULL there.
  private static boolean isTrue(Boolean b) {
    return b != null && b;
  }

  private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static void setInt(PreparedStatement ps, int index, Integer value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.INTEGER);
    } else {
      ps.setInt(index, value);
    }
  }
}
