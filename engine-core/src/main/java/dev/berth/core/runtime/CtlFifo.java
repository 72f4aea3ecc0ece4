package dev.berth.core.runtime;

import dev.berth.core.error.ConflictException;
import dev.berth.core.error.InternalException;
import dev.berth.core.error.InvalidArgumentException;
import dev.berth.core.os.ErrnoException;
import dev.berth.core.os.Fd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** conmon's control fifo ({@code ctl} in its bundle): one text message per write. */
final class CtlFifo {

  private CtlFifo() {}

  /**
   * Sends {@code 1 <height> <width>}: conmon resizes the TTY.
   *
   * @param notRunning the message when conmon is gone (no reader on the fifo, or no fifo)
   */
  static void resize(Path ctl, int height, int width, String notRunning) {
    if (height < 0 || width < 0 || height > 0xffff || width > 0xffff) {
      throw new InvalidArgumentException("invalid TTY size " + height + "x" + width);
    }
    int fd;
    try {
      // Non-blocking: opening a FIFO for writing would otherwise wait forever once conmon is gone.
      fd = Fd.open(ctl, Fd.O_WRONLY | Fd.O_NONBLOCK);
    } catch (ErrnoException e) {
      if (e.errno() == ErrnoException.ENXIO || e.errno() == ErrnoException.ENOENT) {
        throw new ConflictException(notRunning);
      }
      throw new InternalException("cannot open " + ctl + ": " + e.getMessage(), e);
    }
    try {
      // One write per message: conmon parses what a single read returns.
      Fd.write(fd, ("1 " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
    } catch (ErrnoException e) {
      throw new InternalException("cannot resize the TTY behind " + ctl + ": " + e.getMessage(), e);
    } finally {
      Fd.close(fd);
    }
  }
}
