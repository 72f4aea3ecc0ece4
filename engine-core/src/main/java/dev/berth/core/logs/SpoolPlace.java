package dev.berth.core.logs;

/**
 * How far the pump has converted conmon's spool, a stream at a time. A line not yet complete on
 * one stream is held back from the record it began with, while the other stream's lines after it
 * are already written; so a reader of the spool (a restarted pump, a read of the unconverted tail)
 * goes back to {@link #offset} and passes over the records each stream has written already.
 *
 * @param stdout stdout's records before this are written (it is where its held-back text began,
 *     or how far the spool was read)
 * @param stderr likewise for stderr
 */
record SpoolPlace(long stdout, long stderr) {

  SpoolPlace {
    if (stdout < 0 || stderr < 0) {
      throw new IllegalArgumentException("spool place " + stdout + ", " + stderr);
    }
  }

  /** Everything before {@code offset} converted, nothing held back. */
  static SpoolPlace at(long offset) {
    return new SpoolPlace(offset, offset);
  }

  /** Where reading the spool resumes: every record before it is written. */
  long offset() {
    return Math.min(stdout, stderr);
  }

  /** Whether the record of {@code stream} beginning at {@code recordStart} is already written. */
  boolean written(StdStream stream, long recordStart) {
    return switch (stream) {
      case STDOUT -> recordStart < stdout;
      case STDERR -> recordStart < stderr;
      case STDIN -> recordStart < offset();
    };
  }
}
