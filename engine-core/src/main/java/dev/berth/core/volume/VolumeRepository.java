package dev.berth.core.volume;

import java.util.List;
import java.util.Optional;

/** Which volumes exist. Names are unique; a volume's fields never change after insert. */
public interface VolumeRepository {

  Optional<Volume> find(VolumeName name);

  /** All volumes, by name. */
  List<Volume> list();

  /** @throws dev.berth.core.error.ConflictException if the name is taken */
  void insert(Volume volume);

  /** Removes the row; no error if it is absent. */
  void delete(VolumeName name);
}
