package io.dagscope.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes of every module (the Maven module graph is
 * the first wall; these rules are the second, inside and across modules).
 */
@AnalyzeClasses(packages = "io.dagscope", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    static final String CORE = "io.dagscope.core..";
    static final String SPI = "io.dagscope.spi..";
    static final String LINES = "io.dagscope.source.lines..";
    static final String JSONL = "io.dagscope.source.jsonl..";
    static final String S3 = "io.dagscope.source.s3..";
    static final String SCHEDULES = "io.dagscope.schedules..";
    static final String GRAPHQL = "io.dagscope.graphql..";
    static final String SERVER = "io.dagscope.server..";
    static final String GENERATOR = "io.dagscope.generator..";
    static final String BENCH = "io.dagscope.bench..";
    static final String LOGGING = "io.dagscope.server.logging..";

    /** The adapters around the core: none of them may use another. */
    static final List<String> ADAPTERS = List.of(JSONL, S3, SCHEDULES, GRAPHQL);

    @ArchTest
    static final ArchRule coreDependsOnTheJdkAlone = classes().that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE)
            .because("tools embed the core, so it depends on the JDK alone");

    @ArchTest
    static final ArchRule spiDependsOnTheCoreAlone = classes().that().resideInAPackage(SPI)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE, SPI)
            .because("a plugin builds against the SPI, which must stay minimal");

    @ArchTest
    static final ArchRule sharedLinesUseNoAdapter = noClasses().that().resideInAPackage(LINES)
            .should().dependOnClassesThat().resideInAnyPackage(JSONL, S3, SCHEDULES, GRAPHQL)
            .because("the sources share line splitting, decoding and counting, so it depends on none of them");

    @ArchTest
    static final ArchRule jsonlUsesNoOtherAdapter = noClasses().that().resideInAPackage(JSONL)
            .should().dependOnClassesThat().resideInAnyPackage(S3, SCHEDULES, GRAPHQL)
            .because("adapters do not depend on each other");

    @ArchTest
    static final ArchRule s3UsesNoOtherAdapter = noClasses().that().resideInAPackage(S3)
            .should().dependOnClassesThat().resideInAnyPackage(JSONL, SCHEDULES, GRAPHQL)
            .because("adapters do not depend on each other: source-s3 shares line reading with source-jsonl "
                    + "through source-lines");

    @ArchTest
    static final ArchRule schedulesUseNoOtherAdapter = noClasses().that().resideInAPackage(SCHEDULES)
            .should().dependOnClassesThat().resideInAnyPackage(LINES, JSONL, S3, GRAPHQL, SPI)
            .because("adapters do not depend on each other");

    @ArchTest
    static final ArchRule graphqlUsesNoOtherAdapter = noClasses().that().resideInAPackage(GRAPHQL)
            .should().dependOnClassesThat().resideInAnyPackage(LINES, JSONL, S3, SCHEDULES, SPI)
            .because("the API adapter talks to the core's use cases only");

    @ArchTest
    static final ArchRule generatorStandsAlone = classes().that().resideInAPackage(GENERATOR)
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", GENERATOR)
            .because("the log generator writes the orchestrator's formats itself and serves demos and benchmarks");

    @ArchTest
    static final ArchRule nothingDependsOnTheServer = noClasses().that().resideOutsideOfPackage(SERVER)
            .should().dependOnClassesThat().resideInAPackage(SERVER)
            .because("the server is the composition root: it points at everything, nothing points at it");

    @ArchTest
    static final ArchRule nothingDependsOnTheBenchmark = noClasses().that().resideOutsideOfPackage(BENCH)
            .should().dependOnClassesThat().resideInAPackage(BENCH)
            .because("the benchmark measures the product from outside; its DuckDB and JMH must never reach the "
                    + "product's runtime classpath");

    @ArchTest
    static final ArchRule everythingLogsThroughSlf4j = noClasses().that().resideInAPackage("io.dagscope..")
            .should().dependOnClassesThat().resideInAPackage("java.util.logging..")
            .orShould().dependOnClassesThat().belongToAnyOf(System.Logger.class, System.LoggerFinder.class)
            .orShould().callMethod(System.class, "getLogger", String.class)
            .because("one log: every line goes through SLF4J and the server's binding, which masks secrets; "
                    + "java.util.logging and System.Logger would write past it");

    @ArchTest
    static final ArchRule onlyTheServersLoggingBindsSlf4j = noClasses().that().resideInAPackage("io.dagscope..")
            .and().resideOutsideOfPackage(LOGGING)
            .should().dependOnClassesThat().resideInAnyPackage("org.slf4j.spi..", "org.slf4j.helpers..",
                    "org.slf4j.bridge..", "org.slf4j.event..")
            .because("the composition root chooses the one binding; everything else uses SLF4J's API alone");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.dagscope.(**)").should().beFreeOfCycles();

    /** Every package a rule names holds classes, so no rule passes by checking nothing. */
    @Test
    void everyPackageTheRulesNameHoldsClasses() {
        JavaClasses imported = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("io.dagscope");
        List<String> named = List.of(CORE, SPI, LINES, JSONL, S3, SCHEDULES, GRAPHQL, SERVER, GENERATOR, BENCH,
                LOGGING);
        for (String pattern : named) {
            String prefix = pattern.substring(0, pattern.length() - 2);
            boolean present = imported.stream().anyMatch(c -> c.getPackageName().equals(prefix)
                    || c.getPackageName().startsWith(prefix + "."));
            assertTrue(present, "no class in " + pattern + ": a rule naming it would check nothing");
        }
        assertTrue(ADAPTERS.size() >= 4);
    }
}
