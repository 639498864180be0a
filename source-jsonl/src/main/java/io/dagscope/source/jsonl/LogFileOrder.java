package io.dagscope.source.jsonl;

import java.util.Comparator;
import java.util.Locale;

/**
 * The order in which the files of one location are read: oldest first, as logrotate names them.
 *
 * <p>A file's stem is its name without {@code .gz} and then without a trailing rotation number {@code .N}. Files
 * are ordered by directory, then stem (so date-stamped names sort by date), then rotation number, highest (oldest)
 * first, with the bare name (number 0) newest: {@code x.jsonl.2.gz}, {@code x.jsonl.1}, {@code x.jsonl}.
 *
 * @param directory the file's directory, relative to the location's base directory ({@code ""} for the base)
 * @param stem the name without {@code .gz} and rotation number
 * @param rotation the rotation number, 0 for none
 * @param name the whole name, the last tie-breaker
 */
record LogFileOrder(String directory, String stem, long rotation, String name) {

    /** Oldest first. */
    static final Comparator<LogFileOrder> OLDEST_FIRST = Comparator.comparing(LogFileOrder::directory)
            .thenComparing(LogFileOrder::stem)
            .thenComparing(Comparator.comparingLong(LogFileOrder::rotation).reversed())
            .thenComparing(LogFileOrder::name);

    /**
     * @param relativePath the path relative to the base directory, with {@code /} separators
     * @return its place in the order
     */
    static LogFileOrder of(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        String directory = slash < 0 ? "" : relativePath.substring(0, slash);
        String name = relativePath.substring(slash + 1);
        String stem = name;
        if (stem.toLowerCase(Locale.ROOT).endsWith(".gz")) {
            stem = stem.substring(0, stem.length() - 3);
        }
        long rotation = 0;
        int dot = stem.lastIndexOf('.');
        int digits = stem.length() - dot - 1;
        if (dot > 0 && digits >= 1 && digits <= 18 && allDigits(stem, dot + 1)) {
            rotation = Long.parseLong(stem.substring(dot + 1));
            stem = stem.substring(0, dot);
        }
        return new LogFileOrder(directory, stem, rotation, name);
    }

    private static boolean allDigits(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
