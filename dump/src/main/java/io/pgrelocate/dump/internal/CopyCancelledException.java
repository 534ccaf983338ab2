package io.pgrelocate.dump.internal;

/** Thrown inside a copy worker when the copy must end early (stop requested, or another worker failed). */
final class CopyCancelledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CopyCancelledException() {
        super("copy cancelled", null, false, false);
    }
}
