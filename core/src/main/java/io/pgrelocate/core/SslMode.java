package io.pgrelocate.core;

import java.util.Locale;

/** libpq's {@code sslmode} values, with libpq's meaning. */
public enum SslMode {
    DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

    /** The libpq spelling, such as {@code verify-full}. */
    public String libpqName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static SslMode fromLibpqName(String name) {
        for (SslMode mode : values()) {
            if (mode.libpqName().equalsIgnoreCase(name)) {
                return mode;
            }
        }
        throw new PgRelocateException(ErrorCode.INVALID_URI,
                "unknown sslmode (the value is not shown: it may be a misplaced password); use one of disable, allow, prefer, require, verify-ca, verify-full");
    }
}
