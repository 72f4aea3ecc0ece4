package dev.berth.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/** Freeing the head of a file another process appends to, without moving what follows. */
public final class SparseFiles {

  private static final int FALLOC_FL_KEEP_SIZE = 0x01;
  private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
  private static final int O_WRONLY = 1;

  private SparseFiles() {}

  /**
   * fallocate(2) {@code PUNCH_HOLE | KEEP_SIZE} over {@code [0, length)}: the blocks are freed and
   * read back as zeros; the size, and so where an {@code O_APPEND} writer writes next, stays.
   *
   * @return false if the file system cannot punch holes (EOPNOTSUPP): the file keeps its blocks
   * @throws ErrnoException for any other failure
   */
  public static boolean punchHead(Path file, long length) {
    if (length <= 0) {
      return true;
    }
    int fd = Fd.open(file, O_WRONLY);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = LibC.captureState(arena);
      int rc = (int) LibC.Sparse.FALLOCATE.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0L, length);
      if (rc != 0) {
        int errno = LibC.errno(state);
        if (errno == 95) {
          return false;
        }
        throw new ErrnoException("fallocate " + file, errno);
      }
      return true;
    } catch (Throwable t) {
      throw LibC.propagate(t);
    } finally {
      Fd.close(fd);
    }
  }
}
