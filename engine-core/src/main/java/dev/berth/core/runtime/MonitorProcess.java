package dev.berth.core.runtime;

/**
 * A created container: its init process and the monitor (conmon) that holds its stdio, writes
 * its log and records its exit. {@code monitorStartTime} tells the monitor apart from a later
 * process that reuses its pid.
 */
public record MonitorProcess(int pid, int monitorPid, long monitorStartTime) {}
