package io.pgrelocate.preflight.internal;

import io.pgrelocate.core.Finding;
import io.pgrelocate.core.PreflightReport;
import io.pgrelocate.core.Severity;
import io.pgrelocate.preflight.FindingCode;

import java.util.ArrayList;
import java.util.List;

/** Collects the findings of one preflight run. Not thread-safe: one run, one thread. */
public final class Findings {
    private final List<Finding> list = new ArrayList<>();

    public void error(FindingCode code, String subject, String message, String remediation) {
        add(code, Severity.ERROR, subject, message, remediation);
    }

    public void warning(FindingCode code, String subject, String message, String remediation) {
        add(code, Severity.WARNING, subject, message, remediation);
    }

    public void info(FindingCode code, String subject, String message, String remediation) {
        add(code, Severity.INFO, subject, message, remediation);
    }

    public void add(FindingCode code, Severity severity, String subject, String message, String remediation) {
        list.add(new Finding(code.name(), severity, code.subjectKind(), subject, message, remediation));
    }

    public PreflightReport report() {
        return new PreflightReport(list);
    }

    /** The subject of a finding about tables of one database: {@code db.schema.table}, or how many. */
    public static String tables(String db, List<String> tables) {
        return tables.size() == 1 ? db + "." + tables.get(0) : db + " (" + tables.size() + " tables)";
    }

    /** At most {@code max} names, then how many more: keeps a finding about thousands of tables readable. */
    public static String listed(List<String> names, int max) {
        if (names.size() <= max) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, max)) + " and " + (names.size() - max) + " more";
    }
}
