package io.dagscope.server.cli;

import io.dagscope.core.engine.AnalyticsEngine;
import io.dagscope.core.engine.EngineSettings;
import io.dagscope.core.history.HeapHistoryStore;
import io.dagscope.core.ingest.Ingestor;
import io.dagscope.core.snapshot.SnapshotException;
import io.dagscope.core.snapshot.SnapshotFile;
import io.dagscope.server.app.Dagscope;
import io.dagscope.server.config.Args;
import io.dagscope.server.config.Flag;
import io.dagscope.server.config.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dagscope merge}: merges snapshots made from parts of the events into one that answers as one fold of them
 * all, for parts split as {@code docs/snapshots.md} says (each source's events of one DAG in one part).
 */
public final class MergeCommand implements Command {

    @Override
    public String name() {
        return "merge";
    }

    @Override
    public String summary() {
        return "Merge snapshots of parts of the logs (split by DAG) into one that answers as the whole.";
    }

    @Override
    public String positionalUsage() {
        return "SNAPSHOT...";
    }

    @Override
    public String details() {
        return "Each part must hold each source's events of a DAG whole, in read order (the state log split by\n"
                + "schedule). The merged snapshot answers `dagscope query --snapshot FILE` and `dagscope serve\n"
                + "--snapshot FILE` as one fold of every part would; it records no log positions (the parts' do not\n"
                + "combine), so a server started from it with logs configured reads them from the start.\n"
                + "A part that cannot be read fails the merge (exit 1), naming it; nothing is written then.\n"
                + "Example: dagscope merge part-1.dgsnap part-2.dgsnap --out all.dgsnap";
    }

    @Override
    public List<Flag> flags() {
        return List.of(Flag.value("out", "FILE", "where to write the merged snapshot (replaced atomically; "
                        + "required)"),
                Flag.value("retain-days", "DAYS", "the parts' run retention, days (default 7): parts folded "
                        + "with another are refused"),
                Flag.value("retain-runs", "COUNT", "the parts' run retention, runs (default 100000)"));
    }

    @Override
    public int run(Args args, Io io) throws IOException {
        if (args.positionals().isEmpty()) {
            throw new UsageException("merge needs the snapshots to merge: dagscope merge A.dgsnap B.dgsnap ... --out "
                    + "FILE");
        }
        Path out = SnapshotCommand.outFile(args);
        long days = whole(args, "retain-days", 0, 100_000, 7);
        int runs = (int) whole(args, "retain-runs", 0, Integer.MAX_VALUE, 100_000);
        EngineSettings settings = EngineSettings.DEFAULTS.withRetention(Duration.ofDays(days), runs);
        List<Path> parts = new ArrayList<>();
        for (String p : args.positionals()) {
            Path part = Path.of(p);
            if (part.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
                throw new UsageException("--out " + out + " is also one of the snapshots to merge; write elsewhere");
            }
            parts.add(part);
        }
        try (AnalyticsEngine merged = engine(settings)) {
            Map<String, Ingestor.SourcePosition> sources = new LinkedHashMap<>();
            for (Path part : parts) {
                SnapshotFile.Loaded loaded;
                try {
                    loaded = SnapshotFile.read(part, () -> engine(settings));
                } catch (SnapshotException e) {
                    io.err().println("dagscope merge: " + e.getMessage() + "; nothing written");
                    return 1;
                }
                try (AnalyticsEngine engine = loaded.engine()) {
                    merged.merge(engine);
                }
                for (Ingestor.SourcePosition s : loaded.header().sources()) {
                    sources.putIfAbsent(s.name(), new Ingestor.SourcePosition(s.name(), s.kind(), s.location(),
                            Optional.empty(), Optional.of("merged from " + parts.size() + " snapshots by dagscope "
                            + "merge: the parts' positions do not combine")));
                }
            }
            SnapshotFile.Header header = new SnapshotFile.Header("dagscope " + Dagscope.version(), Instant.now(),
                    merged.stats().eventsApplied(), new ArrayList<>(sources.values()));
            SnapshotFile.write(out, header, merged);
            io.out().println("wrote " + out + ": " + header.eventsApplied() + " events from " + parts.size()
                    + " snapshot(s), " + Files.size(out) + " bytes");
            return 0;
        }
    }

    private static AnalyticsEngine engine(EngineSettings settings) {
        // history on the heap: a merge is a one-shot job, and its history is written into the snapshot
        return new AnalyticsEngine(settings, Clock.systemUTC(), new HeapHistoryStore());
    }

    private static long whole(Args args, String flag, long min, long max, long fallback) {
        if (args.value(flag).isEmpty()) {
            return fallback;
        }
        String text = args.value(flag).get().trim();
        try {
            long v = Long.parseLong(text);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + flag + " must be a whole number from " + min + " to " + max + "; got '"
                + args.value(flag).get() + "'");
    }
}
