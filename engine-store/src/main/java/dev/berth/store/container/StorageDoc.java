package dev.berth.store.container;

import dev.berth.core.container.model.MountRequest;
import dev.berth.core.container.model.StorageOptions;
import dev.berth.store.Documents;
import java.util.List;
import java.util.Map;

/**
 * {@code hostConfig.storage} of {@code containers.config_json}: {@link StorageOptions}, as the
 * client gave them. {@code tmpfs} keeps the order given.
 */
record StorageDoc(List<String> binds, List<MountRequestDoc> mounts, Map<String, String> tmpfs,
    List<String> volumesFrom, long shmSize, String volumeDriver) {

  static StorageDoc of(StorageOptions s) {
    return new StorageDoc(s.binds(), Documents.mapEach(s.mounts(), MountRequestDoc::of), s.tmpfs(), s.volumesFrom(),
        s.shmSize(), s.volumeDriver());
  }

  StorageOptions toCore() {
    return new StorageOptions(binds, Documents.mapEach(mounts, MountRequestDoc::toCore), tmpfs, volumesFrom, shmSize,
        volumeDriver);
  }

  /** One {@code --mount}: a {@link MountRequest}. */
  record MountRequestDoc(String type, String source, String target, boolean readOnly, String consistency,
      BindOptionsDoc bindOptions, VolumeOptionsDoc volumeOptions, TmpfsOptionsDoc tmpfsOptions) {

    static MountRequestDoc of(MountRequest m) {
      return new MountRequestDoc(m.type(), m.source(), m.target(), m.readOnly(), m.consistency(),
          Documents.map(m.bindOptions(), BindOptionsDoc::of), Documents.map(m.volumeOptions(), VolumeOptionsDoc::of),
          Documents.map(m.tmpfsOptions(), TmpfsOptionsDoc::of));
    }

    MountRequest toCore() {
      return new MountRequest(type, source, target, readOnly, consistency,
          Documents.map(bindOptions, BindOptionsDoc::toCore), Documents.map(volumeOptions, VolumeOptionsDoc::toCore),
          Documents.map(tmpfsOptions, TmpfsOptionsDoc::toCore));
    }
  }

  record BindOptionsDoc(String propagation, boolean nonRecursive, boolean createMountpoint,
      boolean readOnlyNonRecursive, boolean readOnlyForceRecursive) {

    static BindOptionsDoc of(MountRequest.BindOptions b) {
      return new BindOptionsDoc(b.propagation(), b.nonRecursive(), b.createMountpoint(), b.readOnlyNonRecursive(),
          b.readOnlyForceRecursive());
    }

    MountRequest.BindOptions toCore() {
      return new MountRequest.BindOptions(propagation, nonRecursive, createMountpoint, readOnlyNonRecursive,
          readOnlyForceRecursive);
    }
  }

  record VolumeOptionsDoc(boolean noCopy, Map<String, String> labels, String subpath, String driverName,
      Map<String, String> driverOptions) {

    static VolumeOptionsDoc of(MountRequest.VolumeOptions v) {
      return new VolumeOptionsDoc(v.noCopy(), Documents.sorted(v.labels()), v.subpath(), v.driverName(),
          Documents.sorted(v.driverOptions()));
    }

    MountRequest.VolumeOptions toCore() {
      return new MountRequest.VolumeOptions(noCopy, labels, subpath, driverName, driverOptions);
    }
  }

  /** {@code mode} is Go's os.FileMode as a number; {@code options} are 1- and 2-element lists. */
  record TmpfsOptionsDoc(long sizeBytes, int mode, List<List<String>> options) {

    static TmpfsOptionsDoc of(MountRequest.TmpfsOptions t) {
      return new TmpfsOptionsDoc(t.sizeBytes(), t.mode(), t.options());
    }

    MountRequest.TmpfsOptions toCore() {
      return new MountRequest.TmpfsOptions(sizeBytes, mode, options);
    }
  }
}
