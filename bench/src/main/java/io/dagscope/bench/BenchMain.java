package io.dagscope.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The benchmark's command line: {@code dagscope bench [mode] [flags]}. Modes: none (the side-by-side run of
 * {@link ColdIngestBench}), {@code state} ({@link StateBench}), {@code freshness} ({@link FreshnessBench}),
 * {@code profile} ({@link ProfileBench}), {@code decode} ({@link DecodeBench}), {@code soak} ({@link SoakBench}),
 * {@code abuse} ({@link AbuseBench}), {@code snapshot} ({@link SnapshotBench}),
 * {@code jmh}
 * (JMH's own command line, over the
 * benchmarks of {@link io.dagscope.bench.jmh}); and the workers the benchmark starts in JVMs of their own.
 */
public final class BenchMain {

    private BenchMain() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the arguments
     * @throws Exception if a measurement fails (exit status 1)
     */
    public static void main(String[] args) throws Exception {
        List<String> list = Arrays.asList(args);
        String mode = list.isEmpty() || list.get(0).startsWith("-") ? "" : list.get(0);
        List<String> rest = mode.isEmpty() ? list : list.subList(1, list.size());
        PrintStream out = System.out;
        try {
            int status = switch (mode) {
                case "" -> ColdIngestBench.run(Flags.parse(rest, ColdIngestBench.VALUED, ColdIngestBench.TOGGLES),
                        out);
                case "state" -> StateBench.run(Flags.parse(rest, StateBench.VALUED, StateBench.TOGGLES), out);
                case "freshness" -> FreshnessBench.run(Flags.parse(rest, FreshnessBench.VALUED,
                        FreshnessBench.TOGGLES), out);
                case "profile" -> ProfileBench.run(Flags.parse(rest, ProfileBench.VALUED, ProfileBench.TOGGLES),
                        out);
                case "soak" -> SoakBench.run(Flags.parse(rest, SoakBench.VALUED, SoakBench.TOGGLES), out);
                case "decode" -> DecodeBench.run(Flags.parse(rest, DecodeBench.VALUED, DecodeBench.TOGGLES), out);
                case "abuse" -> AbuseBench.run(Flags.parse(rest, AbuseBench.VALUED, AbuseBench.TOGGLES), out);
                case "snapshot" -> SnapshotBench.run(Flags.parse(rest, SnapshotBench.VALUED, SnapshotBench.TOGGLES),
                        out);
                case "jmh" -> {
                    org.openjdk.jmh.Main.main(rest.toArray(String[]::new));
                    yield 0;
                }
                case "worker-ingest" -> {
                    Workers.ingest(rest);
                    yield 0;
                }
                case "worker-duckdb" -> {
                    Workers.duckdb(rest);
                    yield 0;
                }
                case "worker-decode" -> {
                    DecodeBench.worker(rest, out);
                    yield 0;
                }
                case "worker-state" -> {
                    StateBench.worker(rest, out);
                    yield 0;
                }
                default -> throw new Flags.UsageError("unknown mode '" + mode + "': use no mode, state, freshness, "
                        + "profile, decode, soak, abuse, snapshot or jmh; see --help");
            };
            System.exit(status);
        } catch (Flags.UsageError e) {
            System.err.println("dagscope bench: " + e.getMessage());
            System.exit(2);
        }
    }

    /** The product's jar: {@code --dagscope-jar}, else {@code server/target/dagscope.jar} under the launcher's folder. */
    static Path dagscopeJar(Flags flags) {
        Path jar = Path.of(flags.value("dagscope-jar").orElse(Path.of(System.getProperty("dagscope.home", "."),
                "server", "target", "dagscope.jar").toString()));
        if (!jar.toFile().isFile()) {
            throw new Flags.UsageError("no product jar at " + jar + ": build it (mvn -pl server -am package) or pass "
                    + "--dagscope-jar");
        }
        return jar;
    }
}
