package dev.berth.core.container.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.core.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's (moby/sys/user) {@code GetExecUser} against an image's /etc/passwd and /etc/group. */
class ExecUserTest {

  private static final String PASSWD = """
      root:x:0:0:root:/root:/bin/sh
      # a comment line
      daemon:x:1:1:daemon:/usr/sbin:/bin/false

      app:x:1000:1000:App User:/home/app:/bin/sh
      nohome:x:1001:1001:::/bin/sh
      broken:x:notanumber:1:::
      """;
  private static final String GROUP = """
      root:x:0:
      wheel:x:10:root,app
      app:x:1000:
      docker:x:999:app
      staff:x:50:
      """;

  @TempDir
  Path tmp;
  Path rootfs;

  @BeforeEach
  void setUp() throws IOException {
    rootfs = Files.createDirectories(tmp.resolve("rootfs"));
  }

  private void write(String containerPath, String content) throws IOException {
    Path p = rootfs.resolve(containerPath.substring(1));
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void image() throws IOException {
    write("/etc/passwd", PASSWD);
    write("/etc/group", GROUP);
  }

  private static String message(String spec, Path rootfs) {
    return assertThrows(InvalidArgumentException.class, () -> ExecUser.resolve(rootfs, spec)).getMessage();
  }

  @Test
  void emptyUserIsRootWithItsPasswdEntryAndGroups() throws IOException {
    image();
    assertEquals(new ExecUser(0, 0, List.of(10), "/root"), ExecUser.resolve(rootfs, ""));
  }

  @Test
  void nameIsLookedUpWithItsPrimaryAndSupplementaryGroups() throws IOException {
    image();
    assertEquals(new ExecUser(1000, 1000, List.of(10, 999), "/home/app"), ExecUser.resolve(rootfs, "app"));
  }

  @Test
  void uidInPasswdIsTheSameAsItsName() throws IOException {
    image();
    assertEquals(ExecUser.resolve(rootfs, "app"), ExecUser.resolve(rootfs, "1000"));
  }

  @Test
  void uidNotInPasswdRunsWithGroupZeroAndHomeSlash() throws IOException {
    image();
    assertEquals(new ExecUser(4242, 0, List.of(), "/"), ExecUser.resolve(rootfs, "4242"));
  }

  @Test
  void numericUidAndGidNeedNotExist() throws IOException {
    image();
    assertEquals(new ExecUser(4242, 4343, List.of(), "/"), ExecUser.resolve(rootfs, "4242:4343"));
  }

  @Test
  void explicitGroupReplacesThePrimaryAndDropsSupplementaryGroups() throws IOException {
    image();
    assertEquals(new ExecUser(1000, 50, List.of(), "/home/app"), ExecUser.resolve(rootfs, "app:staff"));
    assertEquals(new ExecUser(1000, 7, List.of(), "/home/app"), ExecUser.resolve(rootfs, "app:7"));
    assertEquals(new ExecUser(0, 999, List.of(), "/root"), ExecUser.resolve(rootfs, "0:docker"));
  }

  @Test
  void emptyGroupAfterTheColonIsLikeNoGroup() throws IOException {
    image();
    assertEquals(ExecUser.resolve(rootfs, "app"), ExecUser.resolve(rootfs, "app:"));
  }

  @Test
  void unknownNameIsRefusedWithRuncsMessage() throws IOException {
    image();
    assertEquals("unable to find user ghost: no matching entries in passwd file", message("ghost", rootfs));
    assertEquals("unable to find user ghost: no matching entries in passwd file", message("ghost:staff", rootfs));
  }

  @Test
  void unknownGroupIsRefusedWithRuncsMessage() throws IOException {
    image();
    assertEquals("unable to find group ghosts: no matching entries in group file", message("app:ghosts", rootfs));
  }

  @Test
  void emptyHomeFieldMeansSlash() throws IOException {
    image();
    assertEquals("/", ExecUser.resolve(rootfs, "nohome").home());
  }

  @Test
  void malformedLinesAreSkipped() throws IOException {
    image();
    assertEquals("unable to find user broken: no matching entries in passwd file", message("broken", rootfs));
  }

  @Test
  void imageWithoutPasswdRunsAsRootWithHomeSlash() {
    // runc's defaults when nothing matches: uid 0, gid 0, HOME=/ (what `docker run scratch-image env` shows).
    assertEquals(new ExecUser(0, 0, List.of(), "/"), ExecUser.resolve(rootfs, ""));
    assertEquals(new ExecUser(7, 8, List.of(), "/"), ExecUser.resolve(rootfs, "7:8"));
  }

  @Test
  void imageWithoutPasswdCannotResolveNames() {
    assertEquals("unable to find user app: no matching entries in passwd file", message("app", rootfs));
  }

  @Test
  void passwdLinkedToAnAbsoluteHostPathIsReadInsideTheRoot() throws IOException {
    Path hostPasswd = tmp.resolve("host-passwd");
    Files.writeString(hostPasswd, "root:x:0:0:root:/host-secret:/bin/sh\n");
    write(hostPasswd.toString(), "root:x:0:0:root:/inside:/bin/sh\n");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), hostPasswd.toAbsolutePath());

    assertEquals("/inside", ExecUser.resolve(rootfs, "").home());
  }

  @Test
  void passwdLinkedUpwardsCannotLeaveTheRoot() throws IOException {
    Files.writeString(tmp.resolve("passwd"), "root:x:0:0:root:/host-secret:/bin/sh\n");
    write("/passwd", "root:x:0:0:root:/inside:/bin/sh\n");
    Files.createDirectories(rootfs.resolve("etc"));
    Files.createSymbolicLink(rootfs.resolve("etc/passwd"), Path.of("../../../../passwd"));

    assertEquals("/inside", ExecUser.resolve(rootfs, "").home());
  }

  @Test
  void additionalGidsAreCopied() {
    var gids = new java.util.ArrayList<>(List.of(1, 2));
    var u = new ExecUser(0, 0, gids, "/");
    gids.add(3);
    assertEquals(List.of(1, 2), u.additionalGids());
  }

  // ---- GroupAdd (issue 11), moby/sys/user GetAdditionalGroups

  @Test
  void groupAddNamesAreLookedUpAndIdsNeedNotExist() throws IOException {
    image();
    assertEquals(List.of(50, 999, 4242, 10), ExecUser.additionalGroups(rootfs, List.of("staff", "docker", "4242", "10")));
    assertEquals(List.of(50), ExecUser.additionalGroups(rootfs, List.of("staff", "50")), "each group once");
    assertEquals(List.of(), ExecUser.additionalGroups(rootfs, List.of()));
  }

  @Test
  void anUnknownGroupOrAnIdOutOfRangeIsRefused() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    image();
    assertEquals("unable to find group nosuch: no matching entries in group file", assertThrows(
        InvalidArgumentException.class, () -> ExecUser.additionalGroups(rootfs, List.of("nosuch"))).getMessage());
    assertEquals("uids and gids must be in range 0-2147483647", assertThrows(InvalidArgumentException.class,
        () -> ExecUser.additionalGroups(rootfs, List.of("2147483648"))).getMessage());
    assertEquals("unable to find group nosuch: no matching entries in group file", assertThrows(
        InvalidArgumentException.class, () -> ExecUser.additionalGroups(empty, List.of("nosuch")))
        .getMessage(), "an image without /etc/group");
  }
}
