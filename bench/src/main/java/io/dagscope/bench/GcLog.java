package io.dagscope.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java heap of a child JVM, read from its unified GC log ({@code -Xlog:gc,gc+heap+exit:file=...}): the peak heap
 * in use is the largest "before" figure of a collection ({@code Pause Young ... 412M->88M(1024M)}) or the heap in use
 * at exit, whichever is larger; the peak committed heap is the largest figure in parentheses.
 *
 * @param peakUsedBytes the most heap in use seen
 * @param peakCommittedBytes the most heap committed seen
 * @param collections how many collections the log shows
 */
public record GcLog(long peakUsedBytes, long peakCommittedBytes, int collections) {

    private static final Pattern PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
    private static final Pattern EXIT_USED = Pattern.compile(
            "^(PSYoungGen|ParOldGen|def new generation|tenured generation|garbage-first heap)\\s+total "
                    + "(\\d+)K, used (\\d+)K");

    /**
     * The JVM options that write the log this class reads.
     *
     * @param file where the log goes
     * @return the option
     */
    public static String option(Path file) {
        return "-Xlog:gc,gc+heap+exit:file=" + file + ":none";
    }

    /**
     * The heap in use that {@code jcmd PID GC.heap_info} prints (the same lines as the log's heap at exit): the sum of
     * the generations' {@code used} figures.
     *
     * @param heapInfo what jcmd printed
     * @return the bytes in use, or -1 when no generation's line was found (a collector whose lines this does not know)
     */
    public static long heapInUse(String heapInfo) {
        long usedKb = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            Matcher e = EXIT_USED.matcher(line.trim());
            if (e.find()) {
                usedKb += Long.parseLong(e.group(3));
                found = true;
            }
        }
        return found ? usedKb << 10 : -1;
    }

    /**
     * Reads a log.
     *
     * @param file the log
     * @return the figures
     * @throws IOException if it cannot be read
     */
    public static GcLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        long used = 0;
        long committed = 0;
        int collections = 0;
        long exitUsedKb = 0;
        long exitCommittedKb = 0;
        for (String line : lines) {
            Matcher m = PAUSE.matcher(line);
            if (m.find() && line.contains("Pause")) {
                collections++;
                used = Math.max(used, Long.parseLong(m.group(1)) << 20);
                committed = Math.max(committed, Long.parseLong(m.group(3)) << 20);
            }
            Matcher e = EXIT_USED.matcher(line.trim());
            if (e.find()) {
                exitCommittedKb += Long.parseLong(e.group(2));
                exitUsedKb += Long.parseLong(e.group(3));
            }
        }
        return new GcLog(Math.max(used, exitUsedKb << 10), Math.max(committed, exitCommittedKb << 10), collections);
    }
}
