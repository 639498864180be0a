package io.dagscope.bench;

import io.dagscope.core.time.Timestamps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The order checksum of a log computed by a plain scan of its lines, to check that DuckDB numbers rows in file order
 * ({@link DuckDbDashboard#orderChecksum}): the sum over the non-blank lines of line number (from 1) times (the line's
 * {@code timestamp} in epoch microseconds mod {@value DuckDbDashboard#ORDER_MODULUS}), mod
 * {@value DuckDbDashboard#CHECKSUM_MODULUS}. Swapping two lines with different timestamps changes it.
 */
public final class LineOrderChecksum {

    private static final byte[] KEY = "\"timestamp\"".getBytes(StandardCharsets.US_ASCII);

    private LineOrderChecksum() {
    }

    /**
     * Scans a log.
     *
     * @param file the log
     * @return the checksum
     * @throws IOException if the file cannot be read
     */
    public static long of(Path file) throws IOException {
        long[] state = new long[2]; // sum, row
        byte[] line = new byte[1 << 16];
        int len = 0;
        byte[] chunk = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        add(state, line, len);
                        len = 0;
                    } else {
                        if (len == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[len++] = b;
                    }
                }
            }
        }
        add(state, line, len);
        return state[0];
    }

    private static void add(long[] state, byte[] line, int len) {
        if (blank(line, len)) {
            return;
        }
        long row = ++state[1];
        long us = timestamp(line, len);
        if (us != Timestamps.INVALID) {
            long term = row * Math.floorMod(us, DuckDbDashboard.ORDER_MODULUS);
            state[0] = Math.floorMod(state[0] + term, DuckDbDashboard.CHECKSUM_MODULUS);
        }
    }

    private static boolean blank(byte[] line, int len) {
        for (int i = 0; i < len; i++) {
            if (line[i] != ' ' && line[i] != '\t' && line[i] != '\r') {
                return false;
            }
        }
        return true;
    }

    private static long timestamp(byte[] line, int len) {
        outer:
        for (int i = 0; i + KEY.length <= len; i++) {
            for (int k = 0; k < KEY.length; k++) {
                if (line[i + k] != KEY[k]) {
                    continue outer;
                }
            }
            int j = i + KEY.length;
            while (j < len && (line[j] == ' ' || line[j] == ':')) {
                j++;
            }
            if (j >= len || line[j] != '"') {
                return Timestamps.INVALID;
            }
            int start = ++j;
            while (j < len && line[j] != '"') {
                j++;
            }
            return Timestamps.parseMicros(new String(line, start, j - start, StandardCharsets.US_ASCII));
        }
        return Timestamps.INVALID;
    }
}
