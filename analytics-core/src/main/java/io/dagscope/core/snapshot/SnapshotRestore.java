package io.dagscope.core.snapshot;

import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.model.SourceStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts an ingestor from a snapshot: the first of the candidate files that loads, whose sources are the configured
 * ones (same names, kinds and locations) and from whose positions every source resumes. A file that fails any of that
 * is refused with the reason and the next is tried; with none left, the ingestor is as it was and reads every source
 * from the start. Nothing of a refused file is kept. An ingestor without any source takes the first file that loads,
 * whatever sources it records, to answer from it as it is (a merged snapshot, say).
 */
public final class SnapshotRestore {

    private SnapshotRestore() {
    }

    /**
     * What a start from snapshots came to.
     *
     * @param used the snapshot the ingestor now continues from, if any
     * @param refused each file refused, with why
     */
    public record Outcome(Optional<SnapshotFile.Loaded> used, List<String> refused) {

        /**
         * An outcome; the list of refusals is copied.
         *
         * @param used the snapshot used, if any
         * @param refused each file refused, with why
         */
        public Outcome {
            refused = List.copyOf(refused);
        }
    }

    /**
     * Tries the candidates in order, before the ingestor's first poll.
     *
     * @param ingestor the ingestor, with its sources added and nothing read
     * @param candidates snapshot files, the preferred first
     * @return which was used, and why the others were refused
     */
    public static Outcome restore(Ingestor ingestor, List<Path> candidates) {
        List<String> refused = new ArrayList<>();
        for (Path file : candidates) {
            SnapshotFile.Loaded loaded;
            try {
                loaded = SnapshotFile.read(file, ingestor::newEngine);
            } catch (SnapshotException e) {
                refused.add(e.getMessage());
                continue;
            }
            // with no source at all, the snapshot is answered from as it is, following nothing
            boolean answerOnly = ingestor.sources().isEmpty();
            Optional<String> mismatch = answerOnly ? Optional.empty() : mismatch(loaded.header(), ingestor.sources());
            Map<String, byte[]> positions = new HashMap<>();
            for (Ingestor.SourcePosition s : loaded.header().sources()) {
                if (!answerOnly && mismatch.isEmpty() && s.position().isEmpty()) {
                    mismatch = Optional.of("source " + s.name() + " has no position in it: " + s.missing().orElse("?"));
                }
                s.position().ifPresent(p -> positions.put(s.name(), p));
            }
            if (mismatch.isEmpty()) {
                try {
                    ingestor.resume(loaded.engine(), positions);
                    return new Outcome(Optional.of(loaded), refused);
                } catch (IllegalArgumentException | IllegalStateException e) {
                    mismatch = Optional.of(e.getMessage());
                }
            }
            loaded.engine().close();
            refused.add(file + ": " + mismatch.get());
        }
        return new Outcome(Optional.empty(), refused);
    }

    /** Why a snapshot's sources are not the configured ones, if they are not. */
    static Optional<String> mismatch(SnapshotFile.Header header, List<SourceStatus> configured) {
        Map<String, Ingestor.SourcePosition> recorded = new LinkedHashMap<>();
        header.sources().forEach(s -> recorded.put(s.name(), s));
        Map<String, SourceStatus> now = new LinkedHashMap<>();
        configured.forEach(s -> now.put(s.name(), s));
        for (SourceStatus s : configured) {
            Ingestor.SourcePosition r = recorded.get(s.name());
            if (r == null) {
                return Optional.of("it has no source " + s.name() + " (a source added since it was made)");
            }
            if (!r.kind().equals(s.kind()) || !r.location().equals(s.location())) {
                return Optional.of("its source " + s.name() + " is " + r.kind() + " " + r.location()
                        + ", now it is " + s.kind() + " " + s.location());
            }
        }
        for (String name : recorded.keySet()) {
            if (!now.containsKey(name)) {
                return Optional.of("its source " + name + " is no longer configured");
            }
        }
        return Optional.empty();
    }
}
