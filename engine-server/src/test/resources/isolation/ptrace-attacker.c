/*
 * Runs as a default container's init (issue 10) and attacks every process that appears in the
 * container's PID namespace: it PTRACE_SEIZEs it and, if that works, compares what it got hold
 * of with itself. A process outside the container's cgroups, with a seccomp mode, no_new_privs or
 * capability bounding set other than its own, would be a way out; so would any process whose
 * command line is the engine's (a child still sharing the engine's memory).
 *
 * On SIGTERM it prints "seen S seized N escapes E leaks L" and exits; each escape or leak is also
 * printed as it is found.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PID 4194304

static volatile sig_atomic_t stop;
static unsigned char seen_pid[MAX_PID / 8 + 1], seized_pid[MAX_PID / 8 + 1];
static char own_cgroup[8192], own_seccomp[64], own_nnp[64], own_bounding[64];
static long seen, seized, escapes, leaks;

static void on_term(int sig)
{
	(void) sig;
	stop = 1;
}

static ssize_t read_file(const char *path, char *buffer, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t) total < size - 1 && (n = read(fd, buffer + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buffer[total] = 0;
	return total;
}

/* The value of "Name:" in a /proc status file, or "" */
static void status_field(const char *status, const char *name, char *out, size_t size)
{
	const char *line = strstr(status, name);
	size_t n = 0;

	out[0] = 0;
	if (!line)
		return;
	line += strlen(name);
	while (*line == ' ' || *line == '\t')
		line++;
	while (line[n] && line[n] != '\n' && n < size - 1)
		n++;
	memcpy(out, line, n);
	out[n] = 0;
}

static void own_state(void)
{
	char status[8192];

	read_file("/proc/self/cgroup", own_cgroup, sizeof(own_cgroup));
	read_file("/proc/self/status", status, sizeof(status));
	status_field(status, "Seccomp:", own_seccomp, sizeof(own_seccomp));
	status_field(status, "NoNewPrivs:", own_nnp, sizeof(own_nnp));
	status_field(status, "CapBnd:", own_bounding, sizeof(own_bounding));
}

/* Reads argv of pid with NULs turned into spaces. */
static void command_line(int pid, char *out, size_t size)
{
	char path[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	n = read_file(path, out, size);
	for (ssize_t i = 0; i < n; i++)
		if (out[i] == 0)
			out[i] = ' ';
	if (n < 0)
		out[0] = 0;
}

/*
 * Whether pid is exiting (PF_EXITING in /proc/PID/stat's flags): the kernel then shows it in the
 * root of every cgroup v1 hierarchy, whatever cgroups it was in.
 */
static int exiting(int pid)
{
	char path[64], stat[1024];
	const char *p;
	unsigned long flags = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (read_file(path, stat, sizeof(stat)) < 0 || !(p = strrchr(stat, ')')))
		return 1;
	/* after "(comm)": state ppid pgrp session tty_nr tpgid flags */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu", &flags) != 1)
		return 1;
	return (flags & 0x4) != 0;
}

static void check_seized(int pid)
{
	char path[64], cgroup[8192], status[8192], value[64];
	const char *why = NULL;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if (read_file(path, cgroup, sizeof(cgroup)) < 0)
		return; /* gone already */
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (read_file(path, status, sizeof(status)) < 0)
		return;
	/* Read after the cgroups: exiting then means it may have been exiting when they were read. */
	if (exiting(pid))
		return;
	if (strcmp(cgroup, own_cgroup) != 0)
		why = "cgroups";
	status_field(status, "Seccomp:", value, sizeof(value));
	if (!why && strcmp(value, own_seccomp) != 0)
		why = "seccomp";
	status_field(status, "NoNewPrivs:", value, sizeof(value));
	if (!why && strcmp(value, own_nnp) != 0)
		why = "no_new_privs";
	status_field(status, "CapBnd:", value, sizeof(value));
	if (!why && strcmp(value, own_bounding) != 0)
		why = "bounding set";
	if (why) {
		char cmd[256];
		command_line(pid, cmd, sizeof(cmd));
		escapes++;
		printf("ESCAPE pid %d (%s): its %s differ: %s\n", pid, cmd, why, cgroup);
		fflush(stdout);
	}
}

static void scan(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *e;
	int self = getpid();

	if (!proc)
		return;
	while ((e = readdir(proc)) != NULL) {
		char cmd[512];
		int pid = atoi(e->d_name);

		if (pid <= 0 || pid == self || pid >= MAX_PID || (seized_pid[pid / 8] & (1 << (pid % 8))))
			continue;
		if (!(seen_pid[pid / 8] & (1 << (pid % 8)))) {
			seen_pid[pid / 8] |= (unsigned char) (1 << (pid % 8));
			seen++;
		}
		/* Tried again on every pass until it works: a process may become traceable later (at its execve). */
		if (ptrace(PTRACE_SEIZE, pid, 0, 0) == 0) {
			seized_pid[pid / 8] |= (unsigned char) (1 << (pid % 8));
			seized++;
			check_seized(pid);
		}
		command_line(pid, cmd, sizeof(cmd));
		if (strstr(cmd, "java") || strstr(cmd, "engine-server")) {
			leaks++;
			printf("LEAK pid %d shows the engine's command line: %s\n", pid, cmd);
			fflush(stdout);
		}
	}
	closedir(proc);
}

/* Lets stopped tracees go on with their signal, and takes the notices of ended ones. */
static void tend(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG | __WALL)) > 0)
		if (WIFSTOPPED(status))
			ptrace(PTRACE_CONT, pid, 0, WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status));
}

int main(void)
{
	struct sigaction sa = { .sa_handler = on_term };

	sigaction(SIGTERM, &sa, NULL);
	own_state();
	printf("attacker ready: seccomp %s no_new_privs %s bounding %s\n", own_seccomp, own_nnp, own_bounding);
	fflush(stdout);
	while (!stop) {
		scan();
		tend();
	}
	printf("seen %ld seized %ld escapes %ld leaks %ld\n", seen, seized, escapes, leaks);
	fflush(stdout);
	return 0;
}
