package io.pgrelocate.preflight;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Assertions on preflight reports shared by the tests. */
final class Reports {
    private Reports() {
    }

    /** The errors and warnings of a report (notes do not count as problems). */
    static List<Finding> problems(PreflightReport report) {
        return report.findings().stream().filter(f -> f.severity() != Severity.INFO).toList();
    }

    /** The report's only error or warning is one finding with this code and severity; returns it. */
    static Finding onlyProblem(PreflightReport report, FindingCode code, Severity severity) {
        List<Finding> problems = problems(report);
        assertThat(problems).as("problems besides %s: %s", code, describe(report)).hasSize(1);
        Finding f = problems.get(0);
        assertThat(f.code()).as(describe(report)).isEqualTo(code.name());
        assertThat(f.severity()).isEqualTo(severity);
        assertThat(f.subjectKind()).isEqualTo(code.subjectKind());
        return f;
    }

    static void noProblems(PreflightReport report) {
        assertThat(problems(report)).as(describe(report)).isEmpty();
    }

    static void noProblem(PreflightReport report, FindingCode code) {
        assertThat(report.withCode(code.name()).stream().filter(f -> f.severity() != Severity.INFO))
                .as(describe(report)).isEmpty();
    }

    /** The SQL statements of a remediation (comment lines and trailing comments left out). */
    static String[] statements(Finding f) {
        return Arrays.stream(f.remediation().split("\n"))
                .map(l -> l.contains("--") ? l.substring(0, l.indexOf("--")) : l)
                .map(String::strip).filter(l -> !l.isEmpty()).toArray(String[]::new);
    }

    static String describe(PreflightReport report) {
        return report.findings().stream().map(f -> f.severity() + " " + f.code() + " " + f.subject() + ": "
                + f.message()).collect(Collectors.joining("\n", "\n", ""));
    }
}
