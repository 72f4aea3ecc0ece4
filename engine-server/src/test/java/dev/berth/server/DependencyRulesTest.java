package dev.berth.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

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
            "dev.berth.server.system..", "dev.berth.server.api..", "dev.berth.server.stream..")
        .should().dependOnClassesThat().resideInAPackage("dev.berth.store..")
        .check(classes);
  }
}
