package io.github.geminigateway;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The feature packages depend on each other in one direction only: a cycle means two features can no longer be read,
 * changed or tested apart. Each top-level package under {@code io.github.geminigateway} is one slice.
 */
@AnalyzeClasses(packages = "io.github.geminigateway", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageCyclesTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices().matching("io.github.geminigateway.(*)..")
            .namingSlices("$1").should().beFreeOfCycles();
}
