package dev.berth.server;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: server -> core <- store. A wrong arrow fails the build. */
class DependencyRulesTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // engine-core's test-jar (shared fakes and contracts) is on this module's classpath too.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.berth");
  }

  @Test
  void coreDependsOnNeitherServerNorStore() {
    noClasses().that().resideInAPackage("dev.berth.core..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.berth.server..", "dev.berth.store..")
        .check(classes);
  }

  @Test
  void coreUsesNoHttpNoSqlAndNoPool() {
    noClasses().that().resideInAPackage("dev.berth.core..")
        .should().dependOnClassesThat().resideInAnyPackage("io.helidon..", "java.sql..", "javax.sql..", "com.zaxxer..",
            "org.sqlite..")
        .check(classes);
  }

  @Test
  void storeDoesNotDependOnServer() {
    noClasses().that().resideInAPackage("dev.berth.store..")
        .should().dependOnClassesThat().resideInAnyPackage("dev.berth.server..", "io.helidon..")
        .check(classes);
  }

  @Test
  void sqlLivesOnlyInTheStore() {
    noClasses().that().resideOutsideOfPackage("dev.berth.store..")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer..", "org.sqlite..")
        .check(classes);
  }

  @Test
  void handlersDoNotReachTheStoreDirectly() {
    noClasses().that().resideInAnyPackage("dev.berth.server.container..", "dev.berth.server.image..",
            "dev.berth.server.build..",
            "dev.berth.server.system..", "dev.berth.server.api..", "dev.berth.server.stream..")
        .should().dependOnClassesThat().resideInAPackage("dev.berth.store..")
        .check(classes);
  }

  /**
   * The API knows the engine through its services and their records, never its machinery: not
   * the runtime, the filesystem walkers or the syscalls. The composition root (Main, the instance
   * lock it takes before anything else, the socket systemd passes it, and the start's warm-up)
   * builds that machinery and is the exception.
   */
  @Test
  void theApiSeesOnlyCoresServicesAndModel() {
    noClasses().that().resideInAPackage("dev.berth.server..")
        .and(not(belongToAnyOf(Main.class, InstanceLock.class, SystemdListener.class, Warmup.class)))
        .should().dependOnClassesThat().resideInAnyPackage("dev.berth.core.runtime..", "dev.berth.core.fs..",
            "dev.berth.core.os..")
        .check(classes);
  }

  /**
   * Programs are spawned by core.os.Processes (posix_spawn, every other descriptor closed in the
   * child), not by ProcessBuilder: its jspawnhelper holds all of the JVM's descriptors until the
   * JVM has told it what to run, and two of them, spawned at once by a berthd that was killed in
   * the middle, waited on each other's pipe for good, holding the API socket. The runtime probe,
   * which runs once as berthd starts, is the one user left, so no two of them can meet.
   */
  @Test
  void programsAreNotSpawnedThroughProcessBuilder() {
    noClasses().that().resideInAPackage("dev.berth..")
        .and().doNotHaveFullyQualifiedName("dev.berth.core.runtime.Cgroup2Hider")
        .should().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
        .check(classes);
  }

  /** Issue 16: every package of core is a room, and the arrows between rooms go one way. */
  @Test
  void coresPackagesHaveNoCycles() {
    slices().matching("dev.berth.core.(**)").should().beFreeOfCycles().check(classes);
  }
}
