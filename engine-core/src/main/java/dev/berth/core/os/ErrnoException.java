package dev.berth.core.os;

/** A failed system call. Callers turn it into an engine error where they know what it means. */
public final class ErrnoException extends RuntimeException {

  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int EIO = 5;
  public static final int ENXIO = 6;
  public static final int EBUSY = 16;
  public static final int EEXIST = 17;
  public static final int EINVAL = 22;
  public static final int ENOTEMPTY = 39;
  public static final int ENOTCONN = 107;

  private final int errno;

  public ErrnoException(String call, int errno) {
    super(call + ": " + LibC.strerror(errno));
    this.errno = errno;
  }

  /** An error number worded as Go (and so runc and dockerd) words it: "no such file or directory". */
  static String reason(int errno) {
    String text = LibC.strerror(errno);
    return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }

  public int errno() {
    return errno;
  }
}
