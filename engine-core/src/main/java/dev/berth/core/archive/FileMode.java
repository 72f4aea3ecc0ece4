package dev.berth.core.archive;

/**
 * Go's {@code os.FileMode} bits, which {@code X-Docker-Container-Path-Stat} carries: the type in
 * high bits of its own, the permission bits as in Unix, and setuid/setgid/sticky moved high.
 */
public final class FileMode {

  public static final long DIR = 1L << 31;
  public static final long SYMLINK = 1L << 27;
  public static final long DEVICE = 1L << 26;
  public static final long NAMED_PIPE = 1L << 25;
  public static final long SOCKET = 1L << 24;
  public static final long SETUID = 1L << 23;
  public static final long SETGID = 1L << 22;
  public static final long CHAR_DEVICE = 1L << 21;
  public static final long STICKY = 1L << 20;

  static final int S_IFMT = 0170000;
  static final int S_IFSOCK = 0140000;
  static final int S_IFLNK = 0120000;
  static final int S_IFREG = 0100000;
  static final int S_IFBLK = 0060000;
  static final int S_IFDIR = 0040000;
  static final int S_IFCHR = 0020000;
  static final int S_IFIFO = 0010000;

  private FileMode() {}

  /** Go's {@code fillFileStatFromSys}: a Unix st_mode as an os.FileMode. */
  public static long of(int unixMode) {
    long m = unixMode & 0777;
    switch (unixMode & S_IFMT) {
      case S_IFBLK -> m |= DEVICE;
      case S_IFCHR -> m |= DEVICE | CHAR_DEVICE;
      case S_IFDIR -> m |= DIR;
      case S_IFIFO -> m |= NAMED_PIPE;
      case S_IFLNK -> m |= SYMLINK;
      case S_IFSOCK -> m |= SOCKET;
      default -> { }
    }
    if ((unixMode & 04000) != 0) {
      m |= SETUID;
    }
    if ((unixMode & 02000) != 0) {
      m |= SETGID;
    }
    if ((unixMode & 01000) != 0) {
      m |= STICKY;
    }
    return m;
  }
}
