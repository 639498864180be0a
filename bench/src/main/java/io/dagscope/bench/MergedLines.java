package io.dagscope.bench;

import io.dagscope.core.time.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Replays a generated pair of logs in the order the orchestrator wrote them (by timestamp; a tie goes to the runner
 * log), appending each line to a copy of the log it came from: a log that grows as it would in production, so a
 * followed source can be measured reading it a piece at a time.
 */
final class MergedLines implements AutoCloseable {

    private final BufferedReader[] in = new BufferedReader[2];
    private final Writer[] out = new Writer[2];
    private final Path[] copies = new Path[2];
    private final String[] next = new String[2];
    private final long[] nextMicros = new long[2];
    private long lastMicros = Long.MIN_VALUE;

    MergedLines(Path events, Path state, Path eventsCopy, Path stateCopy) throws IOException {
        in[0] = Files.newBufferedReader(events, StandardCharsets.ISO_8859_1);
        in[1] = Files.newBufferedReader(state, StandardCharsets.ISO_8859_1);
        copies[0] = eventsCopy;
        copies[1] = stateCopy;
        for (int i = 0; i < 2; i++) {
            out[i] = Files.newBufferedWriter(copies[i], StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }
        advance(0);
        advance(1);
    }

    /**
     * Appends the next lines, then flushes both copies.
     *
     * @param lines how many
     * @return how many were appended (fewer at the end of the logs)
     * @throws IOException if reading or writing fails
     */
    long append(long lines) throws IOException {
        long n = 0;
        while (n < lines) {
            int from;
            if (next[0] == null && next[1] == null) {
                break;
            } else if (next[1] == null || (next[0] != null && nextMicros[0] <= nextMicros[1])) {
                from = 0;
            } else {
                from = 1;
            }
            out[from].write(next[from]);
            out[from].write('\n');
            lastMicros = Math.max(lastMicros, nextMicros[from]);
            advance(from);
            n++;
        }
        out[0].flush();
        out[1].flush();
        return n;
    }

    /**
     * Closes both copies and opens them again by name, appending, created if missing: what a logger does when told
     * to reopen its files after a rotation renamed them away (until then it goes on writing to the renamed files).
     *
     * @throws IOException if a copy cannot be closed or opened
     */
    void reopen() throws IOException {
        for (int i = 0; i < 2; i++) {
            out[i].close();
            out[i] = Files.newBufferedWriter(copies[i], StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    /** @return whether every line has been appended */
    boolean exhausted() {
        return next[0] == null && next[1] == null;
    }

    /** @return the latest timestamp appended so far, in epoch microseconds */
    long lastMicros() {
        return lastMicros;
    }

    private void advance(int i) throws IOException {
        String line = in[i].readLine();
        next[i] = line;
        if (line != null) {
            long us = timestamp(line);
            nextMicros[i] = us == Timestamps.INVALID ? Long.MIN_VALUE : us;
        }
    }

    static long timestamp(String line) {
        int k = line.indexOf("\"timestamp\"");
        if (k < 0) {
            return Timestamps.INVALID;
        }
        int q = line.indexOf('"', line.indexOf(':', k) + 1);
        int e = line.indexOf('"', q + 1);
        return q < 0 || e < 0 ? Timestamps.INVALID : Timestamps.parseMicros(line.substring(q + 1, e));
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < 2; i++) {
            in[i].close();
            out[i].close();
        }
    }
}
