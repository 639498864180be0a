package io.dagscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server child's memory, from outside: the Java heap in use right after a full collection ({@code jcmd PID GC.run}
 * then {@code jcmd PID GC.heap_info}: what the server holds, not what it has not collected yet), and its resident
 * set and thread count ({@code /proc/PID/status}).
 */
final class ServerProbe {

    private ServerProbe() {
    }

    /**
     * One look at the server.
     *
     * @param label when it was taken ({@code start}, {@code 5m}, {@code end})
     * @param elapsedSeconds seconds since the soak started
     * @param heapAfterGcBytes the heap in use after a full collection; -1 when jcmd's output was not understood
     * @param rssBytes the resident set; -1 when unknown
     * @param threads the threads; -1 when unknown
     */
    record Sample(String label, double elapsedSeconds, long heapAfterGcBytes, long rssBytes, long threads) {
    }

    /**
     * Collects the server's garbage, then reads its heap, resident set and threads.
     *
     * @param jvm the JVM it was started with (for its jcmd)
     * @param pid the server's process id
     * @param label the sample's label
     * @param elapsedSeconds seconds since the soak started
     * @return the sample
     * @throws IOException if jcmd fails
     * @throws InterruptedException if interrupted
     */
    static Sample sample(ChildJvm jvm, long pid, String label, double elapsedSeconds)
            throws IOException, InterruptedException {
        HttpBench.jcmd(jvm, pid, "GC.run");
        long heap = GcLog.heapInUse(HttpBench.jcmd(jvm, pid, "GC.heap_info"));
        String status;
        try {
            status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
        } catch (IOException e) {
            status = "";
        }
        long rssKb = statusField(status, "VmRSS");
        return new Sample(label, elapsedSeconds, heap, rssKb < 0 ? -1 : rssKb * 1024, statusField(status, "Threads"));
    }

    /**
     * A number from {@code /proc/PID/status}.
     *
     * @param status the file's text
     * @param field the field ({@code VmRSS} is in kB, {@code Threads} a count)
     * @return the number, or -1 when the field is missing
     */
    static long statusField(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field + ":")) {
                String digits = line.substring(field.length() + 1).replaceAll("[^0-9]", "");
                return digits.isEmpty() ? -1 : Long.parseLong(digits);
            }
        }
        return -1;
    }
}
