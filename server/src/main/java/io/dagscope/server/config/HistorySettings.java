package io.dagscope.server.config;

import io.dagscope.core.history.FileHistoryStore;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.port.out.HistoryStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the engine keeps the history it has finished changing (sealed days, the dropped runs' table, the failures
 * of dropped runs): in memory-mapped files (the default, so the heap stays flat however long the history) or on the
 * heap.
 *
 * @param kind files or heap
 * @param directory where the files go (default: the system's temporary directory); only with {@link Kind#FILES}
 */
public record HistorySettings(Kind kind, Optional<Path> directory) {

    /** Files in the system's temporary directory. */
    public static final HistorySettings DEFAULTS = new HistorySettings(Kind.FILES, Optional.empty());

    /** Where history goes. */
    public enum Kind {
        /** Memory-mapped files, deleted when the engine closes. */
        FILES,
        /** The heap. */
        HEAP;

        /** @return the name users write */
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Reads a kind.
         *
         * @param text what the user wrote
         * @param origin the flag or key, for the error
         * @return the kind
         * @throws UsageException naming the origin and the allowed values
         */
        static Kind parse(String text, String origin) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException(origin + " must be one of: files, heap; got '" + text + "'");
            }
        }
    }

    public HistorySettings {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(directory, "directory");
    }

    /**
     * Opens a new store, for one engine.
     *
     * @return the store
     * @throws UsageException if the directory cannot hold the files
     */
    public HistoryStore open() {
        if (kind == Kind.HEAP) {
            return new HeapHistoryStore();
        }
        Path dir = directory.orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
        try {
            return FileHistoryStore.open(dir);
        } catch (UncheckedIOException e) {
            if (directory.isEmpty()) {
                // no --history-dir was given: do not blame it, say how to choose another place
                throw new UsageException("history files: " + e.getMessage() + " (the system's temporary directory; "
                        + "give a writable one with --history-dir DIR, or --history heap)");
            }
            throw new UsageException("--history-dir: " + e.getMessage()
                    + " (give a writable directory, or --history heap)");
        }
    }
}
