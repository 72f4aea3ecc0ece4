package dev.berth.store;

/**
 * The database was written by a berth this binary cannot safely run against: a newer one, or
 * one whose migration history differs. Raised at startup, before anything is read or written.
 */
public final class IncompatibleSchemaException extends IllegalStateException {

  public IncompatibleSchemaException(String message) {
    super(message);
  }
}
