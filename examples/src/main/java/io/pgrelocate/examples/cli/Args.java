package io.pgrelocate.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parsed options of one command: {@code --name value}, {@code --name=value}, repeated options, and flags.
 * Unknown options and missing values are usage errors.
 */
final class Args {
    /** Suffix of the option naming a password file for an endpoint option: {@code --source-password-file}. */
    static final String PASSWORD_FILE = "-password-file";

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {
    }

    /**
     * @param valued options that take a value (may repeat)
     * @param flags  options that take none
     */
    static Args parse(List<String> argv, Set<String> valued, Set<String> flags) {
        Args args = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (!a.startsWith("--")) {
                // not echoed: a URI given without its option may hold a password
                throw new UsageException("unexpected argument #" + (i + 1) + " (values follow their option, such as "
                        + "--source URI)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                args.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name) || valued.contains(passwordFileOf(name))) {
                if (value == null) {
                    if (i + 1 >= argv.size() || argv.get(i + 1).startsWith("--")) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = argv.get(++i);
                }
                args.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return args;
    }

    /** Every endpoint option {@code --x} also takes {@code --x-password-file}: the endpoint's option name. */
    private static String passwordFileOf(String name) {
        return name.endsWith(PASSWORD_FILE) ? name.substring(0, name.length() - PASSWORD_FILE.length()) : "";
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name) {
        List<String> v = values.get(name);
        if (v == null) {
            return null;
        }
        if (v.size() > 1) {
            throw new UsageException("option --" + name + " is given more than once");
        }
        return v.get(0);
    }

    String require(String name) {
        String v = get(name);
        if (v == null) {
            throw new UsageException("option --" + name + " is required");
        }
        return v;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    int intValue(String name, int fallback) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("option --" + name + " needs a whole number, not '" + v + "'");
        }
    }
}
