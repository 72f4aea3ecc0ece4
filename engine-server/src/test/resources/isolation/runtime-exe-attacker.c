/*
 * A default container's init that goes after the OCI runtime's binary as CVE-2019-5736 did.
 * Containers started with --pid container:<this one> join its PID namespace, so the runtime's own
 * process that sets each of them up shows in this /proc for an instant before it execs the
 * container's program. For every process whose /proc/PID/exe is neither this program nor busybox,
 * it keeps an O_PATH handle to the executable and, once that process has exec'd or is gone, tries
 * to reopen the handle for writing, as the exploit did. It never writes a byte.
 *
 * On SIGTERM it prints "refused N seen N grabbed N writable N" and the image names it saw:
 * "refused" counts processes whose executable it was not allowed to look at (not dumpable, as a
 * runtime makes itself while it sets a container up), "seen" runtime images whose link it could
 * read, "grabbed" those it held a handle to, "writable" those it could reopen for writing that are
 * host files or memfds not sealed against writes.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PIDS 65536
#define MAX_HELD 256

static volatile sig_atomic_t stop;
static unsigned char known[MAX_PIDS];
static struct held { int pid; int fd; char image[256]; } held[MAX_HELD];
static int nheld, seen, grabbed, writable, refused;
static char names[4096];

static void on_term(int sig) { (void) sig; stop = 1; }

static int image_of(int pid, char *out, size_t len) {
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/exe", pid);
	ssize_t n = readlink(path, out, len - 1);
	if (n < 0)
		return -1;
	out[n] = 0;
	return 0;
}

static void note_name(const char *image) {
	if (!strstr(names, image) && strlen(names) + strlen(image) + 2 < sizeof names) {
		strcat(names, " ");
		strcat(names, image);
	}
}

/* Reopens a held executable for writing, as the exploit did; true if that worked on a host file or on a memfd not sealed against writes. */
static int reopens_writable(struct held *h) {
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", h->fd);
	int w = open(path, O_WRONLY | O_CLOEXEC);
	if (w < 0)
		return 0;
	struct stat st;
	int seals = fcntl(w, F_GET_SEALS);
	int open_to_writes = fstat(w, &st) == 0 && (st.st_nlink > 0 || seals < 0 || !(seals & F_SEAL_WRITE));
	if (open_to_writes)
		printf("writable: %s (links %ld, seals %d)\n", h->image, (long) st.st_nlink, seals);
	close(w);
	return open_to_writes;
}

/* Tries a held executable once its process no longer runs it; true when done with it. */
static int try_write(struct held *h) {
	char now[256];
	if (image_of(h->pid, now, sizeof now) == 0 && strcmp(now, h->image) == 0)
		return 0; /* still running it: the exploit waits */
	writable += reopens_writable(h);
	close(h->fd);
	return 1;
}

int main(void) {
	char self[256];
	signal(SIGTERM, on_term);
	setvbuf(stdout, NULL, _IONBF, 0);
	image_of(getpid(), self, sizeof self);
	printf("attacker ready\n");
	while (!stop) {
		DIR *proc = opendir("/proc");
		struct dirent *e;
		while (proc && (e = readdir(proc)) != NULL) {
			int pid = atoi(e->d_name);
			if (pid <= 1 || pid >= MAX_PIDS || known[pid] || pid == getpid())
				continue;
			char image[256];
			if (image_of(pid, image, sizeof image) != 0) {
				if (errno == EACCES || errno == EPERM) {
					/* A process this container may not inspect: not dumpable, as a runtime makes itself. */
					known[pid] = 1;
					refused++;
				}
				continue;
			}
			known[pid] = 1;
			if (strcmp(image, self) == 0 || strstr(image, "busybox") != NULL)
				continue;
			seen++;
			note_name(image);
			char path[64];
			snprintf(path, sizeof path, "/proc/%d/exe", pid);
			int fd = open(path, O_PATH | O_CLOEXEC);
			if (fd >= 0 && nheld < MAX_HELD) {
				grabbed++;
				held[nheld].pid = pid;
				held[nheld].fd = fd;
				snprintf(held[nheld].image, sizeof held[nheld].image, "%s", image);
				nheld++;
			} else if (fd >= 0) {
				close(fd);
			}
		}
		if (proc)
			closedir(proc);
		for (int i = 0; i < nheld; i++) {
			if (try_write(&held[i]))
				held[i--] = held[--nheld];
		}
	}
	for (int i = 0; i < nheld; i++)
		writable += reopens_writable(&held[i]);
	printf("refused %d seen %d grabbed %d writable %d;%s\n", refused, seen, grabbed, writable, names);
	return 0;
}
