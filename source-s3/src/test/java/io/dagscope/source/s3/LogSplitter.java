package io.dagscope.source.s3;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a log into objects at line boundaries, as an orchestrator shipping its log to S3 in pieces would: keys are
 * date-partitioned ({@code PREFIX2025/10/21/part-007.jsonl}) so that key order is time order, and some pieces are
 * gzipped ({@code .jsonl.gz}). Public for the server's end-to-end tests.
 */
public final class LogSplitter {

    private static final Pattern DATE = Pattern.compile("\"timestamp\"\\s*:\\s*\"(\\d{4})-(\\d{2})-(\\d{2})");

    private LogSplitter() {
    }

    /**
     * Splits a log.
     *
     * @param log the log file
     * @param parts how many objects (fewer if it has fewer lines)
     * @param keyPrefix the prefix of every key, e.g. {@code events/}
     * @param gzipEvery every how many objects one is gzipped (the 2nd, 2+n-th, ...); 0 for none
     * @return the objects' keys and bytes, in key order, which is the log's order
     * @throws IOException if the log cannot be read
     */
    public static Map<String, byte[]> split(Path log, int parts, String keyPrefix, int gzipEvery) throws IOException {
        byte[] all = Files.readAllBytes(log);
        long target = Math.max(1, all.length / parts);
        Map<String, byte[]> out = new LinkedHashMap<>();
        String date = "0000/00/00";
        int start = 0;
        int index = 0;
        while (start < all.length) {
            int end = (int) Math.min(all.length, start + target);
            while (end < all.length && all[end - 1] != '\n') {
                end++;
            }
            if (index == parts - 1) {
                end = all.length;
            }
            byte[] piece = Arrays.copyOfRange(all, start, end);
            Matcher m = DATE.matcher(new String(piece, 0, Math.min(piece.length, 4096), StandardCharsets.UTF_8));
            if (m.find()) {
                String d = m.group(1) + "/" + m.group(2) + "/" + m.group(3);
                if (d.compareTo(date) > 0) {
                    date = d; // never backwards, so that key order stays the log's order
                }
            }
            boolean gz = gzipEvery > 0 && index % gzipEvery == 1;
            String key = String.format("%s%s/part-%03d.jsonl%s", keyPrefix, date, index, gz ? ".gz" : "");
            out.put(key, gz ? TestStore.gzip(piece) : piece);
            start = end;
            index++;
        }
        return out;
    }
}
