package io.pgrelocate.core;

import java.util.Comparator;
import java.util.List;

/** The findings of a preflight run, errors first. Immutable. */
public record PreflightReport(List<Finding> findings) {
    public PreflightReport {
        findings = findings.stream()
                .sorted(Comparator.comparing(Finding::severity))
                .toList();
    }

    public boolean hasErrors() {
        return findings.stream().anyMatch(Finding::isError);
    }

    public boolean hasWarnings() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.WARNING);
    }

    public List<Finding> errors() {
        return bySeverity(Severity.ERROR);
    }

    public List<Finding> warnings() {
        return bySeverity(Severity.WARNING);
    }

    public List<Finding> bySeverity(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).toList();
    }

    /** Findings with this code. */
    public List<Finding> withCode(String code) {
        return findings.stream().filter(f -> f.code().equals(code)).toList();
    }

    /** One line naming the blocking findings, for an exception message or the CLI. */
    public String errorSummary() {
        List<Finding> errors = errors();
        if (errors.isEmpty()) {
            return "no blocking problems";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(errors.size() == 1 ? " blocking problem: " : " blocking problems: ");
        for (int i = 0; i < errors.size(); i++) {
            Finding f = errors.get(i);
            if (i > 0) {
                sb.append("; ");
            }
            sb.append(f.code()).append(" (").append(f.subject()).append("): ").append(f.message());
        }
        return sb.toString();
    }
}
