package io.dagscope.core.snapshot;

import java.nio.file.Path;

/** A snapshot file that cannot be used: truncated, damaged, foreign, of a newer version or of other settings. */
public final class SnapshotException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Path file;

    /**
     * @param file the file
     * @param reason why it cannot be used
     * @param cause what failed, if anything
     */
    public SnapshotException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
    }

    /** @return the file */
    public Path file() {
        return file;
    }
}
