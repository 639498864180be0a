package io.dagscope.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code dagscope bench profile}: where the in-process ingest spends its time. Generates a log, runs the in-process
 * worker (ingest through the SPI, then the dashboard's document) under Java Flight Recorder's {@code profile}
 * settings, and summarises the recording's {@code jdk.ExecutionSample} events: the methods on top of the sampled
 * stacks (self time), the dagscope methods anywhere on them (total time), and the collector's pauses
 * ({@code jdk.GarbageCollection}).
 */
final class ProfileBench {

    static final Set<String> VALUED = Set.of("events", "out", "seed", "start", "top");
    static final Set<String> TOGGLES = Set.of("keep", "help");

    static final String USAGE = String.join("\n",
            "dagscope bench profile [--events N] [--out DIR] [--top K] [--keep] [--seed S] [--start ISO]",
            "",
            "Profiles the in-process ingest of a generated log of N lines (default 2,000,000) with Java Flight",
            "Recorder (settings=profile) and prints the top K (default 25) methods by samples: on top of the stack",
            "(self) and, for dagscope's own methods, anywhere on it (total). The recording stays in --out as",
            "ingest.jfr (open it with JDK Mission Control, or `jfr print --events jdk.ExecutionSample ingest.jfr`).");

    private ProfileBench() {
    }

    static int run(Flags flags, PrintStream out) throws Exception {
        if (flags.has("help")) {
            out.println(USAGE);
            return 0;
        }
        long lines = flags.wholeNumber("events", 2_000_000, 1, 2_000_000_000);
        int top = (int) flags.wholeNumber("top", 25, 1, 1000);
        long seed = flags.seed();
        Instant start = flags.start();
        Path outDir = flags.outDir("profile");
        Path data = outDir.resolve("data");
        out.printf("Generating %,d lines into %s...%n", lines, data);
        Workload w = Workload.generate(data, lines, seed, start, OptionalDouble.empty());
        ChildJvm jvm = ChildJvm.current(Machine.cores(), Path.of("unused"));
        Path jfr = outDir.resolve("ingest.jfr");
        List<String> cmd = new java.util.ArrayList<>(jvm.bench(null, List.of("worker-ingest", w.events().toString(),
                w.state().toString(), w.schedules().toString(), w.end().toString(), "24")));
        cmd.add(1, "-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        out.println("Recording: " + String.join(" ", cmd.subList(0, cmd.indexOf("-cp"))) + " ... worker-ingest");
        MeasuredProcess p = MeasuredProcess.run(cmd, outDir, Duration.ofHours(2));
        if (p.exitCode() != 0) {
            throw new IOException("the worker exited with " + p.exitCode() + ":\n" + p.stderr());
        }
        // JFR announces the recording on stdout too: the worker's answer is the last line
        String[] outLines = p.stdout().strip().split("\n");
        var result = Workers.JSON.readTree(outLines[outLines.length - 1]);
        double seconds = result.path("ingestNanos").asLong() / 1e9;
        String md = summarise(jfr, top, "Profile of the in-process ingest", BenchReport.f("%,d lines (`%s`) "
                + "ingested in %.2f s (%,.0f lines/s) under JFR", lines, w.generateCommand(), seconds,
                lines / seconds));
        Files.writeString(outDir.resolve("profile.md"), md);
        out.println();
        out.println(md);
        out.println("Wrote " + outDir.resolve("profile.md") + "; the recording is " + jfr);
        if (!flags.has("keep")) {
            Machine.deleteTree(data);
        }
        return 0;
    }

    /**
     * Summarises a recording's execution samples and collections as Markdown.
     *
     * @param jfr the recording
     * @param top how many rows each table has
     * @param title the heading
     * @param what what was recorded, the start of the first sentence
     * @return the Markdown
     * @throws IOException if the recording cannot be read
     */
    static String summarise(Path jfr, int top, String title, String what) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> selfByPackage = new HashMap<>();
        int samples = 0;
        double gcPauseSeconds = 0;
        int gcs = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String type = e.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcs++;
                    gcPauseSeconds += e.getDuration("sumOfPauses").toNanos() / 1e9;
                }
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = st.getFrames();
                String first = name(frames.get(0));
                self.merge(first, 1, Integer::sum);
                selfByPackage.merge(packageOf(frames.get(0)), 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    String n = name(f);
                    if (n.startsWith("io.dagscope.") && !n.startsWith("io.dagscope.bench.") && seen.add(n)) {
                        total.merge(n, 1, Integer::sum);
                    }
                }
            }
        }
        StringBuilder b = new StringBuilder("## ").append(title).append("\n\n");
        b.append(BenchReport.f("%s; %,d execution samples; %d collections, %.2f s of GC pauses.%n%n", what, samples,
                gcs, gcPauseSeconds));
        table(b, "Self time by package (the sampled stack's top frame)", selfByPackage, samples, top);
        table(b, "Self time by method", self, samples, top);
        table(b, "Total time of dagscope's methods (anywhere on the sampled stack)", total, samples, top);
        return b.toString();
    }

    private static void table(StringBuilder b, String title, Map<String, Integer> counts, int samples, int top) {
        b.append("| ").append(title).append(" | samples | share |\n|---|---:|---:|\n");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
                .forEach(e -> b.append(BenchReport.f("| `%s` | %,d | %.1f %% |%n", e.getKey(), e.getValue(),
                        100.0 * e.getValue() / Math.max(1, samples))));
        b.append('\n');
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static String packageOf(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        int dot = type.lastIndexOf('.');
        return dot < 0 ? "(default)" : type.substring(0, dot);
    }
}
