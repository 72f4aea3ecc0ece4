/*
 * Prints what a few system calls return under the seccomp filter of the process that runs it:
 * one the default profile refuses (unshare), ones numbered above every call the profile names
 * (runc makes those fail with ENOSYS), natively and through the x32 ABI.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	static const long calls[] = { SYS_unshare, 1000, 0x40000000L | 1000 };

	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		errno = 0;
		long r = syscall(calls[i], 0, 0, 0, 0, 0, 0);
		printf("%#lx: %s\n", calls[i], r < 0 ? strerror(errno) : "ok");
	}
	return 0;
}
