package io.dagscope.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child process and measures it as a whole: wall time from start to exit, peak resident set
 * size, and CPU time. With GNU time ({@code /usr/bin/time}) those come from the kernel's accounting of the child
 * ({@code %M}, {@code %U}, {@code %S}); without it, {@code VmHWM} of {@code /proc/<pid>/status} and the process's CPU
 * time are polled every 10 ms until it exits (a little less exact).
 *
 * @param exitCode the exit status
 * @param stdout what it printed on stdout
 * @param stderr what it printed on stderr
 * @param wallNanos start to exit
 * @param peakRssBytes peak resident set size
 * @param cpuSeconds user plus system CPU time
 * @param how how peak RSS and CPU were measured
 */
public record MeasuredProcess(int exitCode, String stdout, String stderr, long wallNanos, long peakRssBytes,
        double cpuSeconds, String how) {

    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /**
     * Runs a command to its end.
     *
     * @param command the command and its arguments
     * @param scratch a folder for its output files
     * @param timeout how long it may take
     * @return the measurements
     * @throws IOException if it cannot be started
     * @throws InterruptedException if interrupted while waiting
     */
    public static MeasuredProcess run(List<String> command, Path scratch, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(scratch);
        Path out = Files.createTempFile(scratch, "stdout", ".txt");
        Path err = Files.createTempFile(scratch, "stderr", ".txt");
        Path times = Files.createTempFile(scratch, "time", ".txt");
        boolean gnuTime = Files.isExecutable(GNU_TIME);
        List<String> full = new ArrayList<>();
        if (gnuTime) {
            full.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", times.toString()));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).redirectOutput(out.toFile()).redirectError(err.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        long hwmKb = 0;
        double cpu = 0;
        if (!gnuTime) {
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            while (!p.waitFor(10, TimeUnit.MILLISECONDS)) {
                hwmKb = Math.max(hwmKb, vmHwmKb(status));
                Optional<Duration> c = p.info().totalCpuDuration();
                if (c.isPresent()) {
                    cpu = c.get().toNanos() / 1e9;
                }
                if (System.nanoTime() - t0 > timeout.toNanos()) {
                    p.destroyForcibly();
                    throw new IOException("timed out after " + timeout + ": " + command);
                }
            }
        } else if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeout + ": " + command);
        }
        long wall = System.nanoTime() - t0;
        if (gnuTime) {
            String[] f = Files.readString(times).trim().split("\\s+");
            // GNU time puts "Command exited with non-zero status N" on a line of its own before the figures
            int n = f.length;
            if (n >= 3) {
                hwmKb = Long.parseLong(f[n - 3]);
                cpu = Double.parseDouble(f[n - 2]) + Double.parseDouble(f[n - 1]);
            }
        }
        MeasuredProcess m = new MeasuredProcess(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), wall, hwmKb * 1024, cpu,
                gnuTime ? "GNU time (%M, %U + %S)" : "/proc/PID/status VmHWM and CPU time polled every 10 ms");
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        Files.deleteIfExists(times);
        return m;
    }

    private static long vmHwmKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process may have exited between the check and the read: keep the last value
        }
        return 0;
    }
}
