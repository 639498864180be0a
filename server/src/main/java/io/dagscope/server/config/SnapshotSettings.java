package io.dagscope.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Snapshots ({@code docs/snapshots.md}): a file to start from ({@code --snapshot}), and the folder {@code dagscope
 * serve} keeps snapshots in ({@code --snapshot-dir}, the config file's {@code snapshots} section) with when it writes
 * one and how many it keeps.
 *
 * @param file a snapshot to start from, if any
 * @param dir the folder of snapshots to start from and keep fresh, if any
 * @param every at most this long between snapshots of changed data
 * @param everyEvents or sooner, once this many more events were folded
 * @param keep how many of the newest snapshots the folder keeps
 */
public record SnapshotSettings(Optional<Path> file, Optional<Path> dir, Duration every, long everyEvents, int keep) {

    /** The default interval: five minutes. */
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(5);
    /** The default events between snapshots: five million. */
    public static final long DEFAULT_EVERY_EVENTS = 5_000_000;
    /** The default number kept: two (the newest, and one to fall back on). */
    public static final int DEFAULT_KEEP = 2;
    /** The shortest interval accepted. */
    static final Duration MIN_EVERY = Duration.ofSeconds(1);
    /** The longest interval accepted. */
    static final Duration MAX_EVERY = Duration.ofDays(7);
    /** The most snapshots kept. */
    static final int MAX_KEEP = 1000;

    /** No snapshots. */
    public static final SnapshotSettings NONE = new SnapshotSettings(Optional.empty(), Optional.empty(), DEFAULT_EVERY,
            DEFAULT_EVERY_EVENTS, DEFAULT_KEEP);

    private static final Pattern DURATION = Pattern.compile("(?:(\\d{1,6})h)?(?:(\\d{1,6})m)?(?:(\\d{1,9})s)?");

    public SnapshotSettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(every, "every");
    }

    /**
     * These settings with another file to start from.
     *
     * @param snapshot the file, if any
     * @return the settings
     */
    public SnapshotSettings withFile(Optional<Path> snapshot) {
        return new SnapshotSettings(snapshot, dir, every, everyEvents, keep);
    }

    /**
     * Reads an interval such as {@code 90s}, {@code 5m} or {@code 1h30m}, from 1 second to 7 days.
     *
     * @param text what the user wrote
     * @param origin the flag or key, for the error
     * @return the interval
     * @throws UsageException naming the origin and what is allowed
     */
    public static Duration interval(String text, String origin) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(t);
        String rule = " must be a time such as 90s, 5m or 1h30m, from 1s to 168h; got '" + text + "'";
        if (t.isEmpty() || !m.matches()) {
            throw new UsageException(origin + rule);
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusHours(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusSeconds(Long.parseLong(m.group(3)));
        }
        if (d.compareTo(MIN_EVERY) < 0 || d.compareTo(MAX_EVERY) > 0) {
            throw new UsageException(origin + rule);
        }
        return d;
    }
}
