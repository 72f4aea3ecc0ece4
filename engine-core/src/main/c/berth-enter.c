/*
 * berth-enter: starts one process inside a running container for berthd (docker exec and
 * healthcheck probes), as runc's nsexec + setns init do, without a Go runtime to start twice.
 *
 * Why a C program: the engine is a JVM, which can neither fork nor run code between fork and
 * execve. Everything that must happen in the new process before it runs the user's program
 * (joining the container's namespaces, dropping credentials, no_new_privs, the seccomp filter)
 * therefore happens here, in a small static binary that berthd runs from a sealed memfd copy.
 *
 * The threat it answers (docs/ARCHITECTURE.md, "exec"): a process in the container may ptrace,
 * signal or read /proc of anything that appears in its PID namespace. So:
 *  - berthd spawns this program in the host's PID namespace (invisible to the container); its
 *    vfork-style spawn shares berthd's memory only while invisible.
 *  - Still invisible, it joins the container's v1 cgroups (a self-move, which takes no global
 *    lock), the container's namespaces (mount last) and, with a TTY, opens a pseudo-terminal in
 *    the container's devpts.
 *  - It then forks the process into the container's PID namespace: with CLONE_PARENT (berthd is
 *    the parent, which waits for it) and, where a cgroup2 tree is mounted, CLONE_INTO_CGROUP, so
 *    the child is in every one of the container's cgroups from its first instant. The child is
 *    not dumpable (nothing in the container can attach to it or open its /proc files) and holds
 *    only this program's memory, never berthd's.
 *  - The child drops to the process's groups, ids and capabilities, sets no_new_privs and loads
 *    the container's seccomp filter (in runc's order), closes every fd but its stdio, and
 *    executes the program. Only that execve makes it dumpable: by then it has exactly what the
 *    container's own processes have.
 *
 * Input (berthd writes it to fd 3, then closes it): records of a tag byte, a little-endian u32
 * length and that many bytes. Output (fd 4, a SOCK_SEQPACKET socket, close-on-exec): 'M' with
 * the TTY master attached (SCM_RIGHTS), 'P' + u32 the child's pid, 'E' + u32 errno + the step
 * that failed. End of file on fd 4 after 'P' and no 'E' means the program is executing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#define CONFIG_FD 3
#define STATUS_FD 4
#define MAX_ITEMS 64

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#define KEYCTL_JOIN_SESSION_KEYRING 1

struct namespace { int fd; int type; };
struct limit { int resource; struct rlimit value; };

struct config {
	struct namespace namespaces[MAX_ITEMS];
	int namespace_count;
	int cgroupns_fd;
	int tasks_fds[MAX_ITEMS];
	int tasks_count;
	int cgroup2_fd;
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t group_count;
	uint64_t capabilities;
	struct limit limits[MAX_ITEMS];
	int limit_count;
	char *cwd;
	int terminal;
	struct winsize size;
	int no_new_privs;
	unsigned int seccomp_flags;
	struct sock_fprog seccomp;
	char *apparmor;
	int has_oom_score_adj;
	int oom_score_adj;
	char **argv;
	size_t argc;
	char **envp;
	size_t envc;
};

/*
 * Reports why the start failed and ends this process; the engine words the message. The step may
 * be followed by a NUL and a detail (the path an execve was given).
 */
static void fail_at(const char *step, int err, const char *detail)
{
	char message[4096];
	uint32_t code = (uint32_t) err;
	size_t length = strnlen(step, 64), extra = detail ? strnlen(detail, sizeof(message) - 80) : 0;

	message[0] = 'E';
	memcpy(message + 1, &code, sizeof(code));
	memcpy(message + 5, step, length);
	if (detail) {
		message[5 + length] = 0;
		memcpy(message + 6 + length, detail, extra);
		length += 1 + extra;
	}
	/* Lost if a seccomp profile denies sendto: the engine then sees an exec that exits 126. */
	(void) !send(STATUS_FD, message, 5 + length, MSG_NOSIGNAL);
	_exit(126);
}

static void fail(const char *step, int err)
{
	fail_at(step, err, NULL);
}

static void *allocate(size_t size)
{
	void *p = calloc(1, size ? size : 1);
	if (!p)
		fail("malloc", ENOMEM);
	return p;
}

static unsigned char *read_all(int fd, size_t *size)
{
	size_t capacity = 16384, used = 0;
	unsigned char *buffer = allocate(capacity);

	for (;;) {
		ssize_t n;
		if (used == capacity) {
			capacity *= 2;
			buffer = realloc(buffer, capacity);
			if (!buffer)
				fail("malloc", ENOMEM);
		}
		n = read(fd, buffer + used, capacity - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("read config", errno);
		if (n == 0)
			break;
		used += (size_t) n;
	}
	*size = used;
	return buffer;
}

static uint32_t u32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static char *string(const unsigned char *p, uint32_t length)
{
	char *s = allocate((size_t) length + 1);
	memcpy(s, p, length);
	return s;
}

static void need(uint32_t length, uint32_t wanted)
{
	if (length != wanted)
		fail("config", EINVAL);
}

static void parse(struct config *c, const unsigned char *data, size_t size)
{
	size_t at = 0, argv_capacity = 0, envp_capacity = 0;

	while (at < size) {
		unsigned char tag;
		uint32_t length;
		const unsigned char *p;

		if (size - at < 5)
			fail("config", EINVAL);
		tag = data[at];
		length = u32(data + at + 1);
		at += 5;
		if (size - at < length)
			fail("config", EINVAL);
		p = data + at;
		at += length;
		switch (tag) {
		case 'N': /* a namespace to join: fd, CLONE_NEW* type; joined in the order given (cgroup's by the child) */
			need(length, 8);
			if (c->namespace_count == MAX_ITEMS)
				fail("config", E2BIG);
			if ((int) u32(p + 4) == CLONE_NEWCGROUP) {
				c->cgroupns_fd = (int) u32(p);
				break;
			}
			c->namespaces[c->namespace_count].fd = (int) u32(p);
			c->namespaces[c->namespace_count++].type = (int) u32(p + 4);
			break;
		case 'T': /* a cgroup v1 "tasks" file of the container, open for writing */
			need(length, 4);
			if (c->tasks_count == MAX_ITEMS)
				fail("config", E2BIG);
			c->tasks_fds[c->tasks_count++] = (int) u32(p);
			break;
		case 'C': /* the container's cgroup2 directory */
			need(length, 4);
			c->cgroup2_fd = (int) u32(p);
			break;
		case 'u':
			need(length, 4);
			c->uid = u32(p);
			break;
		case 'g':
			need(length, 4);
			c->gid = u32(p);
			break;
		case 'G':
			if (length % 4)
				fail("config", EINVAL);
			c->group_count = length / 4;
			c->groups = allocate(length);
			for (size_t i = 0; i < c->group_count; i++)
				c->groups[i] = u32(p + 4 * i);
			break;
		case 'k': /* capability mask: the bounding set, and the effective and permitted sets of root */
			need(length, 8);
			c->capabilities = u64(p);
			break;
		case 'r':
			need(length, 20);
			if (c->limit_count == MAX_ITEMS)
				fail("config", E2BIG);
			c->limits[c->limit_count].resource = (int) u32(p);
			c->limits[c->limit_count].value.rlim_cur = u64(p + 4);
			c->limits[c->limit_count++].value.rlim_max = u64(p + 12);
			break;
		case 'w':
			c->cwd = string(p, length);
			break;
		case 't': /* a terminal of rows x columns (0 x 0: the kernel's default) */
			need(length, 4);
			c->terminal = 1;
			c->size.ws_row = (unsigned short) (p[0] | p[1] << 8);
			c->size.ws_col = (unsigned short) (p[2] | p[3] << 8);
			break;
		case 'n':
			c->no_new_privs = 1;
			break;
		case 's': /* seccomp: u32 flags, then the struct sock_filter array */
			if (length < 4 || (length - 4) % sizeof(struct sock_filter) || length - 4 == 0)
				fail("config", EINVAL);
			c->seccomp_flags = u32(p);
			c->seccomp.len = (unsigned short) ((length - 4) / sizeof(struct sock_filter));
			c->seccomp.filter = allocate(length - 4);
			memcpy(c->seccomp.filter, p + 4, length - 4);
			break;
		case 'a':
			c->apparmor = string(p, length);
			break;
		case 'o': /* the container's OOM score adjustment, a signed u32; inherited by the child */
			need(length, 4);
			c->has_oom_score_adj = 1;
			c->oom_score_adj = (int) u32(p);
			break;
		case 'A':
			if (c->argc + 2 > argv_capacity) {
				argv_capacity = argv_capacity ? 2 * argv_capacity : 16;
				c->argv = realloc(c->argv, argv_capacity * sizeof(char *));
				if (!c->argv)
					fail("malloc", ENOMEM);
			}
			c->argv[c->argc++] = string(p, length);
			c->argv[c->argc] = NULL;
			break;
		case 'E':
			if (c->envc + 2 > envp_capacity) {
				envp_capacity = envp_capacity ? 2 * envp_capacity : 32;
				c->envp = realloc(c->envp, envp_capacity * sizeof(char *));
				if (!c->envp)
					fail("malloc", ENOMEM);
			}
			c->envp[c->envc++] = string(p, length);
			c->envp[c->envc] = NULL;
			break;
		default:
			fail("config", EINVAL);
		}
	}
	if (c->argc == 0 || !c->cwd)
		fail("config", EINVAL);
	if (!c->envp)
		c->envp = allocate(sizeof(char *));
}

static void send_message(const void *message, size_t length, int fd)
{
	struct iovec iov = { .iov_base = (void *) message, .iov_len = length };
	union {
		char buffer[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };

	if (fd >= 0) {
		struct cmsghdr *cmsg;
		memset(&control, 0, sizeof(control));
		msg.msg_control = control.buffer;
		msg.msg_controllen = sizeof(control.buffer);
		cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	}
	while (sendmsg(STATUS_FD, &msg, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			fail("sendmsg", errno);
}

/*
 * A pseudo-terminal from the container's devpts: its own ptmx, checked to be on devpts, and the
 * peer opened through the master rather than by a path the container could have replaced.
 */
static void open_terminal(const struct config *c, int *master, int *peer)
{
	struct statfs fs;
	int unlock = 0;

	*master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		fail("open /dev/pts/ptmx", errno);
	if (fstatfs(*master, &fs) < 0)
		fail("fstatfs /dev/pts/ptmx", errno);
	if (fs.f_type != DEVPTS_SUPER_MAGIC)
		fail("open /dev/pts/ptmx", EXDEV);
	if (ioctl(*master, TIOCSPTLCK, &unlock) < 0)
		fail("ioctl(TIOCSPTLCK)", errno);
	if (c->size.ws_row && c->size.ws_col && ioctl(*master, TIOCSWINSZ, &c->size) < 0)
		fail("ioctl(TIOCSWINSZ)", errno);
	*peer = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*peer < 0)
		fail("ioctl(TIOCGPTPEER)", errno);
}

/* Forks into the PID namespace joined last; the child's parent is berthd (CLONE_PARENT). */
static pid_t fork_into_container(const struct config *c)
{
	if (c->cgroup2_fd >= 0) {
		struct clone_args args = {
			.flags = CLONE_PARENT | CLONE_INTO_CGROUP,
			.cgroup = (uint64_t) c->cgroup2_fd,
		};
		return (pid_t) syscall(SYS_clone3, &args, sizeof(args));
	}
	/* Only flags are given: the argument order of clone(2), which differs by architecture, does not matter. */
	return (pid_t) syscall(SYS_clone, CLONE_PARENT, 0, 0, 0, 0);
}

static void set_id(long call, unsigned int id, const char *step)
{
	if (syscall(call, id, id, id) < 0)
		fail(step, errno);
}

/* Bounding set, then groups and ids, then the capability sets; nothing inheritable or ambient. */
static void drop_privileges(const struct config *c)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];
	uint64_t effective = c->uid == 0 ? c->capabilities : 0;

	for (int cap = 0; cap < 64; cap++) {
		if (c->capabilities & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL) /* past the last capability this kernel knows */
				break;
			fail("prctl(PR_CAPBSET_DROP)", errno);
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		fail("prctl(PR_CAP_AMBIENT)", errno);
	if (syscall(SYS_setgroups, c->group_count, c->groups) < 0)
		fail("setgroups", errno);
	set_id(SYS_setresgid, c->gid, "setresgid");
	set_id(SYS_setresuid, c->uid, "setresuid");
	for (int word = 0; word < 2; word++) {
		data[word].effective = data[word].permitted = (uint32_t) (effective >> (32 * word));
		data[word].inheritable = 0;
	}
	if (syscall(SYS_capset, &header, data) < 0)
		fail("capset", errno);
}

static void load_seccomp(const struct config *c)
{
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, c->seccomp_flags, &c->seccomp) < 0)
		fail("seccomp", errno);
}

/* As runc: the profile applies to the program executed next, not to this process. */
static void apply_apparmor(const struct config *c)
{
	static const char *const files[] = { "/proc/thread-self/attr/apparmor/exec", "/proc/thread-self/attr/exec" };
	size_t length = strlen(c->apparmor) + 5;
	char *command = allocate(length + 1);
	int fd = -1;

	memcpy(command, "exec ", 5);
	memcpy(command + 5, c->apparmor, length - 5);
	for (size_t i = 0; i < 2 && fd < 0; i++)
		fd = open(files[i], O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, command, length) != (ssize_t) length)
		fail("apparmor", errno);
	close(fd);
}

/* As runc: the console and pipes belong to the user the process runs as, /dev/null aside. */
static void own_stdio(uid_t uid)
{
	for (int fd = 0; fd <= 2; fd++) {
		struct stat st;
		if (fstat(fd, &st) < 0)
			fail("fstat", errno);
		if (st.st_uid == uid || (S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3)))
			continue;
		if (fchown(fd, uid, (gid_t) -1) < 0 && errno != EPERM && errno != EROFS)
			fail("fchown", errno);
	}
}

/* Go's findExecutable, as runc's exec.LookPath calls it: 0, or why the file will not do. */
static const char *unusable(const char *path, int *err)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		*err = errno;
		return "lookpath stat";
	}
	*err = 0;
	if (S_ISDIR(st.st_mode))
		return "lookpath directory";
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0)
		return NULL;
	if (errno != ENOSYS && errno != EPERM) {
		*err = errno;
		return "lookpath access";
	}
	return (st.st_mode & 0111) ? NULL : "lookpath permission";
}

/* runc's exec.LookPath on the process's own PATH; the engine words the failures as runc does. */
static char *look_up(const struct config *c)
{
	const char *name = c->argv[0];
	const char *path = "";
	int err;

	if (strchr(name, '/')) {
		const char *why = unusable(name, &err);
		if (why)
			fail(why, err);
		return (char *) name;
	}
	for (size_t i = 0; i < c->envc; i++)
		if (strncmp(c->envp[i], "PATH=", 5) == 0)
			path = c->envp[i] + 5;
	while (*path) {
		const char *end = strchrnul(path, ':');
		size_t dir = (size_t) (end - path);
		char *candidate = allocate(dir + strlen(name) + 3);

		if (dir == 0)
			strcpy(candidate, ".");
		else
			memcpy(candidate, path, dir);
		strcat(candidate, "/");
		strcat(candidate, name);
		if (!unusable(candidate, &err)) {
			if (candidate[0] != '/')
				fail("lookpath relative", 0);
			return candidate;
		}
		free(candidate);
		path = *end ? end + 1 : end;
	}
	fail("lookpath not found", 0);
	return NULL;
}

/* In the container's PID namespace, not dumpable, as root with every capability still. */
static void become_process(const struct config *c, int master, int peer)
{
	int chdir_error;
	char *program;

	/*
	 * The cgroup namespace only now: a process already in the container's cgroup namespace could
	 * not be cloned into the container's cgroup2 directory from a cgroup outside that namespace.
	 */
	if (c->cgroupns_fd >= 0) {
		if (setns(c->cgroupns_fd, CLONE_NEWCGROUP) < 0)
			fail("setns", errno);
		close(c->cgroupns_fd);
	}
	if (setsid() < 0)
		fail("setsid", errno);
	if (c->terminal) {
		close(master);
		if (ioctl(peer, TIOCSCTTY, 0) < 0)
			fail("ioctl(TIOCSCTTY)", errno);
		for (int fd = 0; fd <= 2; fd++)
			if (dup2(peer, fd) < 0)
				fail("dup2", errno);
		close(peer);
	}
	/* Not the engine's session keyring. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0 && errno != ENOSYS)
		fail("keyctl", errno);
	umask(022);
	own_stdio(c->uid);
	/* As root first (a directory the user cannot enter may still be its working directory), else as the user. */
	chdir_error = chdir(c->cwd) < 0 ? errno : 0;
	if (c->apparmor)
		apply_apparmor(c);
	/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it before the drop, as runc does. */
	if (c->seccomp.filter && !c->no_new_privs)
		load_seccomp(c);
	drop_privileges(c);
	if (chdir_error && chdir(c->cwd) < 0)
		fail("chdir", errno);
	if (c->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail("prctl(PR_SET_NO_NEW_PRIVS)", errno);
	program = look_up(c);
	if (c->seccomp.filter && c->no_new_privs)
		load_seccomp(c);
	/* Nothing of the engine's but stdio and the status socket, which closes as the program starts. */
	if (syscall(SYS_close_range, STATUS_FD + 1, ~0U, 0) < 0)
		fail("close_range", errno);
	execve(program, c->argv, c->envp);
	fail_at("exec", errno, program);
}

static void set_oom_score_adj(int score)
{
	char text[16];
	int length = snprintf(text, sizeof(text), "%d", score);
	int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		fail("open oom_score_adj", errno);
	if (write(fd, text, (size_t) length) != length)
		fail("write oom_score_adj", errno);
	close(fd);
}

int main(void)
{
	struct config c = { .cgroup2_fd = -1, .cgroupns_fd = -1 };
	int master = -1, peer = -1;
	unsigned char *data;
	size_t size;
	pid_t child;
	unsigned char message[5];
	uint32_t reported;

	/* Inherited by the child: nothing may attach to it or open its /proc files before it executes. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		fail("prctl(PR_SET_DUMPABLE)", errno);
	if (fcntl(STATUS_FD, F_SETFD, FD_CLOEXEC) < 0)
		fail("fcntl", errno);
	data = read_all(CONFIG_FD, &size);
	close(CONFIG_FD);
	parse(&c, data, size);
	for (int i = 0; i < c.limit_count; i++)
		if (setrlimit(c.limits[i].resource, &c.limits[i].value) < 0)
			fail("setrlimit", errno);
	/* As runc's nsexec: set here, before any namespace is joined (/proc is still the host's). */
	if (c.has_oom_score_adj)
		set_oom_score_adj(c.oom_score_adj);
	/* "0" moves the writing thread only, which takes no global lock; this process has one thread. */
	for (int i = 0; i < c.tasks_count; i++) {
		if (write(c.tasks_fds[i], "0", 1) != 1)
			fail("join cgroup", errno);
		close(c.tasks_fds[i]);
	}
	for (int i = 0; i < c.namespace_count; i++) {
		if (setns(c.namespaces[i].fd, c.namespaces[i].type) < 0)
			fail("setns", errno);
		close(c.namespaces[i].fd);
	}
	if (c.terminal) {
		open_terminal(&c, &master, &peer);
		message[0] = 'M';
		send_message(message, 1, master);
	}
	child = fork_into_container(&c);
	if (child < 0)
		fail("clone", errno);
	if (child == 0)
		become_process(&c, master, peer);
	message[0] = 'P';
	reported = (uint32_t) child;
	memcpy(message + 1, &reported, sizeof(reported));
	send_message(message, sizeof(message), -1);
	return 0;
}
