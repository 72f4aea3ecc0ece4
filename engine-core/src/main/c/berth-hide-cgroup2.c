/*
 * berth-hide-cgroup2: runs crun where the host's cgroup2 tree is out of sight.
 *
 * crun 1.8 refuses a hybrid host (cgroup v1 controllers beside an empty cgroup2 tree at
 * /sys/fs/cgroup/unified). This program enters a mount namespace of its own, unmounts the
 * cgroup2 tree there (and only there), and becomes crun, which then sees a plain cgroup v1 host.
 * Nothing else of the host's mounts changes: the namespace is a copy of the host's, and only
 * /sys/fs/cgroup is made a slave first, so the unmount does not propagate back to the host.
 *
 *   berth-hide-cgroup2 --berth-runtime=PATH [--berth-cgroup2=DIR] [crun's arguments]
 *
 * --berth-cgroup2 names the container's directory in the cgroup2 tree: the program moves itself
 * there before crun starts, so the container's processes are in it as they are under runc (runc
 * places them in every hierarchy, the cgroup2 tree included; crun cannot, it no longer sees it).
 * berth's options may come anywhere before crun's subcommand and are not passed on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#define RUNTIME_OPTION "--berth-runtime="
#define CGROUP2_OPTION "--berth-cgroup2="
#define CGROUPS "/sys/fs/cgroup"
#define UNIFIED CGROUPS "/unified"

static int fail(const char *what, const char *path) {
  fprintf(stderr, "berth-hide-cgroup2: %s %s: %s\n", what, path, strerror(errno));
  return 1;
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int join(const char *dir) {
  char procs[4096];
  if (snprintf(procs, sizeof procs, "%s/cgroup.procs", dir) >= (int)sizeof procs) {
    errno = ENAMETOOLONG;
    return fail("cannot join", dir);
  }
  int fd = open(procs, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    return fail("cannot join", dir);
  }
  /* "0" is the writer itself. */
  if (write(fd, "0", 1) != 1) {
    int saved = errno;
    close(fd);
    errno = saved;
    return fail("cannot join", dir);
  }
  close(fd);
  return 0;
}

int main(int argc, char **argv) {
  const char *runtime = NULL;
  const char *cgroup2 = NULL;
  char **args = calloc((size_t)argc + 1, sizeof *args);
  if (args == NULL) {
    return fail("out of memory", "");
  }
  int n = 1;
  int options = 1;
  for (int i = 1; i < argc; i++) {
    if (options && starts_with(argv[i], RUNTIME_OPTION)) {
      runtime = argv[i] + strlen(RUNTIME_OPTION);
    } else if (options && starts_with(argv[i], CGROUP2_OPTION)) {
      cgroup2 = argv[i] + strlen(CGROUP2_OPTION);
    } else {
      if (argv[i][0] != '-') {
        options = 0;
      }
      args[n++] = argv[i];
    }
  }
  if (runtime == NULL) {
    fprintf(stderr, "berth-hide-cgroup2: no " RUNTIME_OPTION "PATH\n");
    return 2;
  }
  args[0] = (char *)runtime;
  if (cgroup2 != NULL && join(cgroup2) != 0) {
    return 1;
  }
  if (unshare(CLONE_NEWNS) != 0) {
    return fail("cannot unshare the mount namespace", "");
  }
  if (mount(NULL, CGROUPS, NULL, MS_SLAVE, NULL) != 0) {
    return fail("cannot make a slave of", CGROUPS);
  }
  if (umount2(UNIFIED, MNT_DETACH) != 0) {
    return fail("cannot unmount", UNIFIED);
  }
  execv(runtime, args);
  return fail("cannot run", runtime);
}
