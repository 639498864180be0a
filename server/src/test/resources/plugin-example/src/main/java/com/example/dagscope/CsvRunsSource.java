package com.example.dagscope;

import io.dagscope.core.event.DagDone;
import io.dagscope.core.event.DagStart;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.core.port.out.EventSink;
import io.dagscope.core.port.out.EventSource;
import io.dagscope.core.time.Timestamps;
import io.dagscope.spi.SkipReason;
import io.dagscope.spi.SourceStatistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the CSV file once. Each line is one run and becomes a {@code dag_start} and a {@code dag_done} with a run
 * id made of the source's name and the line number; a run whose status is {@code failed} ends with one failed task.
 * Lines starting with {@code #} are comments; a line that is not a run is counted as skipped.
 */
final class CsvRunsSource implements EventSource {

    private final String name;
    private final Path file;
    private final Pattern separator;
    private SourceStatistics statistics;
    private boolean read;

    CsvRunsSource(String name, Path file, char separator) {
        this.name = name;
        this.file = file;
        this.separator = Pattern.compile(Pattern.quote(String.valueOf(separator)));
        this.statistics = new SourceStatistics(name, "example", file.toString());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long poll(EventSink sink) {
        if (read) {
            return 0; // read once; a source that follows a growing file would keep its offset instead
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            statistics.unhealthy("cannot read " + file + ": " + e.getMessage());
            return 0; // poll never throws: the status says what is wrong, and the next poll tries again
        }
        statistics.healthy();
        read = true;
        long delivered = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = separator.split(line, -1);
            if (f.length != 5 || f[0].isBlank() || !(f[4].equals("success") || f[4].equals("failed"))) {
                statistics.lineSkipped(SkipReason.MISSING_FIELD);
                continue;
            }
            long start = Timestamps.parseMicros(f[2]);
            if (start == Timestamps.INVALID) {
                statistics.lineSkipped(SkipReason.BAD_TIMESTAMP);
                continue;
            }
            double seconds;
            try {
                seconds = Double.parseDouble(f[3]);
            } catch (NumberFormatException e) {
                statistics.lineSkipped(SkipReason.MISSING_FIELD);
                continue;
            }
            String runId = name + "-" + (i + 1);
            long end = start + Math.round(seconds * Timestamps.MICROS_PER_SECOND);
            int failed = f[4].equals("failed") ? 1 : 0;
            sink.accept(new DagStart(start, f[0], runId, f[1], null));
            sink.accept(new DagDone(end, f[0], runId, f[1], null, failed, seconds));
            statistics.eventRead(start);
            statistics.eventRead(end);
            delivered += 2;
        }
        return delivered;
    }

    @Override
    public void rewind() {
        read = false;
        statistics = new SourceStatistics(name, "example", file.toString());
    }

    @Override
    public SourceStatus status() {
        return statistics.snapshot();
    }

    @Override
    public void close() {
        // nothing held open between polls
    }
}
