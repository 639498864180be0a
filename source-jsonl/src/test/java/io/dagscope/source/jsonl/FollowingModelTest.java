package io.dagscope.source.jsonl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dagscope.core.event.TaskStart;
import io.dagscope.core.model.SourceStatus;
import io.dagscope.source.lines.LineSplitter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model-based: random sequences of what writers and logrotate do to real files (appends of whole and partial lines,
 * rename rotation, compress-on-rotate, copy-truncate, delete and re-create, new logs) with polls in between, checked
 * against a model of what was written: every line at most once, every line but those copy-truncate or a deletion
 * may lose, and each writer's lines in the order written. At random polls the source is stopped and a new one
 * resumed from its {@linkplain JsonlSource#position() position} (a restart): it must deliver, poll by poll, exactly
 * what a twin that never stopped delivers, whatever was rotated, compressed, truncated or re-created meanwhile.
 *
 * <p>Run one case with {@code -Ddagscope.seed=N}, or more cases with {@code -Ddagscope.seeds=N}; with
 * {@code -Ddagscope.verbose=true} a failure lists the lines each poll delivered.
 */
class FollowingModelTest {

    private static final int SEEDS = 200;

    @TempDir
    Path root;

    @Test
    void everyLineIsDeliveredOnceAndInOrderWhateverTheRotationsSaveWhatTheModelSaysMayBeLost() throws IOException {
        String one = System.getProperty("dagscope.seed");
        int from = one == null ? 0 : Integer.parseInt(one);
        int to = one == null ? Integer.getInteger("dagscope.seeds", SEEDS) : from + 1;
        int checkedLines = 0;
        for (int seed = from; seed < to; seed++) {
            Case c = new Case(seed, Files.createDirectory(root.resolve("case-" + seed)));
            try {
                c.run();
            } catch (AssertionError | IOException | RuntimeException e) {
                throw new AssertionError("seed " + seed + " (rerun with -Ddagscope.seed=" + seed + "): "
                        + e.getMessage() + "\n  operations: " + String.join("; ", c.log), e);
            }
            checkedLines += c.lines.size();
        }
        assertTrue(checkedLines > 20 * (to - from), "the cases wrote lines: " + checkedLines);
    }

    /** A line as the model knows it. */
    private static final class Line {
        final String id;
        final int writer;
        final int seq;
        /** Whether the guarantees allow it to be lost. */
        boolean mayBeLost;
        /** Polls done when its newline was written, or -1 while it is incomplete. */
        int completedAfterPoll = -1;

        Line(String id, int writer, int seq) {
            this.id = id;
            this.writer = writer;
            this.seq = seq;
        }
    }

    /** One program writing one log, and what logrotate made of its earlier files. */
    private static final class Writer {
        final int index;
        final String base;
        int seq;
        /** The incomplete line the writer is in the middle of, and the rest of its bytes. */
        Line pending;
        String pendingRest;
        /** Lines in the live file, since it was created or last truncated. */
        final List<Line> live = new ArrayList<>();
        /** The rotated files, {@code .1} first. */
        final List<Rotated> rotated = new ArrayList<>();

        Writer(int index) {
            this.index = index;
            this.base = "w" + index + ".jsonl";
        }

        String rotatedName(int i) {
            return base + "." + (i + 1) + (rotated.get(i).gzip ? ".gz" : "");
        }
    }

    /** A rotated file: the lines in it, and whether it is compressed. */
    private static final class Rotated {
        final List<Line> lines;
        boolean gzip;

        Rotated(List<Line> lines) {
            this.lines = new ArrayList<>(lines);
        }
    }

    private static final class Case {

        final SplittableRandom random;
        final Path dir;
        JsonlSource source;
        /** The same source, never restarted: the restarted one must deliver exactly what it delivers. */
        final JsonlSource twin;
        /** Decides the restarts apart from the operations, so that every seed's operations stay as they were. */
        final SplittableRandom restarts;
        final int chunk;
        int restartCount;
        final boolean oldTimes;
        final List<Writer> writers = new ArrayList<>();
        final Map<String, Line> lines = new HashMap<>();
        final List<String> delivered = new ArrayList<>();
        final List<String> log = new ArrayList<>();
        final List<Path> deleteLater = new ArrayList<>();
        /** How many rotated files logrotate keeps ({@code rotate N}); older ones are deleted. */
        final int keep;
        int polls;
        long fakeMillis = System.currentTimeMillis() - 10L * 24 * 3600 * 1000;

        Case(int seed, Path dir) {
            this.random = new SplittableRandom(seed);
            this.dir = dir;
            // odd seeds give every write an old modification time, so unchanged files are passed over unopened
            this.oldTimes = seed % 2 == 1;
            this.keep = random.nextInt(2, 6);
            this.chunk = random.nextBoolean() ? LineSplitter.DEFAULT_CHUNK_BYTES : random.nextInt(64, 600);
            this.source = newSource();
            this.twin = newSource();
            this.restarts = new SplittableRandom(seed * 31L + 7);
        }

        JsonlSource newSource() {
            return new JsonlSource("model", FileTarget.parse(dir + "/*.jsonl*"), true, 1 << 20, chunk);
        }

        /** Stops the source and starts a new one from its position, as a server restarted from a snapshot does. */
        void restart() {
            byte[] position = source.position();
            source.close();
            source = newSource();
            source.resume(position);
            restartCount++;
            log.add("restart");
        }

        void run() throws IOException {
            newWriter();
            int ops = random.nextInt(15, 45);
            for (int i = 0; i < ops; i++) {
                step();
            }
            finish();
            check();
        }

        void step() throws IOException {
            for (Path p : deleteLater) {
                Files.delete(p);
                log.add("delete " + p.getFileName());
            }
            deleteLater.clear();
            Writer w = writers.get(random.nextInt(writers.size()));
            int r = random.nextInt(100);
            if (r < 25) {
                appendLines(w, random.nextInt(1, 5));
            } else if (r < 35) {
                appendPartial(w);
            } else if (r < 55) {
                poll();
            } else if (r < 63) {
                renameRotate(w, false);
            } else if (r < 70) {
                renameRotate(w, true);
            } else if (r < 80) {
                copyTruncate(w);
            } else if (r < 87) {
                deleteAndRecreate(w);
            } else if (writers.size() < 3) {
                newWriter();
            } else {
                appendLines(w, 1);
            }
        }

        void newWriter() throws IOException {
            Writer w = new Writer(writers.size());
            writers.add(w);
            log.add("new " + w.base);
            appendLines(w, random.nextInt(0, 3));
        }

        Path live(Writer w) {
            return dir.resolve(w.base);
        }

        Line newLine(Writer w) {
            Line line = new Line("w" + w.index + "-" + w.seq, w.index, w.seq);
            w.seq++;
            lines.put(line.id, line);
            return line;
        }

        String text(Line line) {
            // the id comes first, so that two logs differ from their first line on; the padding varies the lengths
            int pad = random.nextInt(10) == 0 ? random.nextInt(900, 1500) : random.nextInt(0, 120);
            return "{\"task_id\": \"" + line.id + "\", \"timestamp\": \"2025-10-20T13:55:00.000001+00:00\", "
                    + "\"event\": \"task_start\", \"dag_name\": \"d\", \"workflow_ref\": \"" + "p".repeat(pad)
                    + "\"}";
        }

        void completePending(Writer w, Path into) throws IOException {
            if (w.pending != null) {
                write(into, w.pendingRest, true);
                w.pending.completedAfterPoll = polls;
                if (into.equals(live(w))) {
                    w.live.add(w.pending);
                }
                w.pending = null;
                w.pendingRest = null;
            }
        }

        void appendLines(Writer w, int n) throws IOException {
            completePending(w, live(w));
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < n; i++) {
                Line line = newLine(w);
                line.completedAfterPoll = polls;
                w.live.add(line);
                text.append(text(line)).append('\n');
            }
            if (n > 0) {
                write(live(w), text.toString(), true);
            }
            log.add("append " + n + " to " + w.base);
        }

        void appendPartial(Writer w) throws IOException {
            completePending(w, live(w));
            Line line = newLine(w);
            String text = text(line) + "\n";
            // cut inside the JSON text: the first part alone is never a complete line
            int cut = random.nextInt(1, text.length() - 2);
            write(live(w), text.substring(0, cut), true);
            w.pending = line;
            w.pendingRest = text.substring(cut);
            log.add("partial " + line.id + " to " + w.base);
        }

        /**
         * logrotate's numbered chain: the oldest beyond {@link #keep} is deleted, {@code .N} becomes {@code .N+1},
         * and {@code .1} is free for a file holding {@code lines}.
         */
        void shiftRotated(Writer w, List<Line> lines) throws IOException {
            if (w.rotated.size() == keep) {
                int last = keep - 1;
                Files.delete(dir.resolve(w.rotatedName(last)));
                log.add("delete " + w.rotatedName(last));
                for (Line line : w.rotated.remove(last).lines) {
                    if (line.completedAfterPoll == polls) {
                        line.mayBeLost = true; // rotated out of existence before a poll read it
                    }
                }
            }
            for (int i = w.rotated.size() - 1; i >= 0; i--) {
                Path from = dir.resolve(w.rotatedName(i));
                Path to = dir.resolve(w.base + "." + (i + 2) + (w.rotated.get(i).gzip ? ".gz" : ""));
                Files.move(from, to);
            }
            w.rotated.add(0, new Rotated(lines));
        }

        void renameRotate(Writer w, boolean compress) throws IOException {
            if (!Files.exists(live(w))) {
                return;
            }
            shiftRotated(w, w.live);
            Path old = dir.resolve(w.base + ".1");
            Files.move(live(w), old);
            log.add("rename " + w.base + " to .1" + (compress ? " and compress .2" : ""));
            // the writer still holds the old file: it ends its line there, maybe writes more, then reopens
            if (w.pending != null) {
                w.rotated.get(0).lines.add(w.pending);
            }
            completePending(w, old);
            if (random.nextInt(3) == 0) {
                int n = random.nextInt(1, 3);
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    Line line = newLine(w);
                    line.completedAfterPoll = polls;
                    w.rotated.get(0).lines.add(line);
                    text.append(text(line)).append('\n');
                }
                write(old, text.toString(), true);
                log.add("append " + n + " to the renamed " + w.base);
            }
            w.live.clear();
            if (random.nextBoolean()) {
                write(live(w), "", false);
            }
            if (compress && w.rotated.size() >= 2 && !w.rotated.get(1).gzip) {
                compress(w, 1);
            }
        }

        /** Compresses rotated file {@code i} in place of itself, as logrotate's compress does. */
        void compress(Writer w, int i) throws IOException {
            Path plain = dir.resolve(w.rotatedName(i));
            byte[] gz = gzip(Files.readAllBytes(plain));
            Path gzPath = dir.resolve(plain.getFileName() + ".gz");
            if (random.nextInt(3) == 0) {
                // a poll while gzip is half-way
                write(gzPath, Arrays.copyOf(gz, gz.length / 2));
                log.add("half of " + gzPath.getFileName());
                poll();
            }
            write(gzPath, gz);
            w.rotated.get(i).gzip = true;
            log.add("compress " + plain.getFileName());
            if (random.nextBoolean()) {
                Files.delete(plain);
            } else {
                deleteLater.add(plain); // after the next poll, maybe
            }
        }

        void copyTruncate(Writer w) throws IOException {
            Path live = live(w);
            if (!Files.exists(live)) {
                return;
            }
            shiftRotated(w, w.live);
            Path copy = dir.resolve(w.base + ".1");
            Files.copy(live, copy);
            touch(copy);
            log.add("copy " + w.base + " to .1");
            if (w.pending != null) {
                w.pending.mayBeLost = true; // its end will go to the truncated file
            }
            if (random.nextInt(3) == 0) {
                poll();
            }
            if (random.nextInt(3) == 0) {
                int before = w.seq;
                appendLines(w, random.nextInt(1, 3));
                for (int s = before; s < w.seq; s++) {
                    lines.get("w" + w.index + "-" + s).mayBeLost = true; // between the copy and the truncation
                }
            }
            if (random.nextInt(4) == 0) {
                poll();
            }
            try (FileChannel ch = FileChannel.open(live, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            touch(live);
            w.live.clear();
            log.add("truncate " + w.base);
            if (random.nextInt(4) == 0) {
                compress(w, 0); // copytruncate with compress and no delaycompress
            }
        }

        void deleteAndRecreate(Writer w) throws IOException {
            Path live = live(w);
            if (!Files.exists(live)) {
                return;
            }
            for (Line line : w.live) {
                if (line.completedAfterPoll == polls) {
                    line.mayBeLost = true; // written since the last poll to a file now gone
                }
            }
            if (w.pending != null) {
                w.pending.mayBeLost = true;
                w.pending = null; // the writer finishes it in the deleted file
                w.pendingRest = null;
            }
            Files.delete(live);
            w.live.clear();
            log.add("delete and re-create " + w.base);
            write(live, "", false);
            if (random.nextBoolean()) {
                appendLines(w, random.nextInt(1, 3));
            }
        }

        void poll() {
            if (restarts.nextInt(3) == 0) {
                restart();
            }
            polls++;
            int before = delivered.size();
            long n = source.poll(e -> delivered.add(((TaskStart) e).taskId()));
            assertEquals(delivered.size() - before, n, "poll returns what it delivered");
            List<String> twinDelivered = new ArrayList<>();
            twin.poll(e -> twinDelivered.add(((TaskStart) e).taskId()));
            assertEquals(twinDelivered, delivered.subList(before, delivered.size()),
                    "after " + restartCount + " restart(s), the same lines as a source that never stopped");
            log.add("poll (" + n + ")" + (Boolean.getBoolean("dagscope.verbose") ? delivered.subList(before, delivered.size()) : ""));
        }

        void finish() throws IOException {
            for (Path p : deleteLater) {
                Files.delete(p);
            }
            deleteLater.clear();
            for (Writer w : writers) {
                completePending(w, live(w));
            }
            log.add("complete every line");
            poll();
            poll();
        }

        void check() {
            Set<String> seen = new HashSet<>();
            int[] lastSeq = new int[writers.size()];
            Arrays.fill(lastSeq, -1);
            for (String id : delivered) {
                if (!seen.add(id)) {
                    fail("delivered twice: " + id);
                }
                Line line = lines.get(id);
                if (line == null) {
                    fail("delivered a line never written: " + id);
                }
                if (line.seq <= lastSeq[line.writer]) {
                    fail("out of order: " + id + " after w" + line.writer + "-" + lastSeq[line.writer]);
                }
                lastSeq[line.writer] = line.seq;
            }
            for (Line line : lines.values()) {
                if (!line.mayBeLost && line.completedAfterPoll >= 0 && !seen.contains(line.id)) {
                    fail("lost: " + line.id);
                }
            }
            SourceStatus status = source.status();
            assertEquals(delivered.size(), status.eventsRead(), "every event read was delivered");
            SourceStatus never = twin.status();
            assertEquals(List.of(never.eventsRead(), never.skippedByReason(), never.ignored(), never.firstEventAt(),
                    never.lastEventAt(), never.healthy(), never.lagBytes()), List.of(status.eventsRead(),
                    status.skippedByReason(), status.ignored(), status.firstEventAt(), status.lastEventAt(),
                    status.healthy(), status.lagBytes()), "counted as by a source that never stopped");
            assertTrue(status.healthy(), () -> "healthy at the end: " + status.error());
        }

        void write(Path p, String text, boolean append) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            if (append) {
                Files.write(p, bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.write(p, bytes);
            }
            touch(p);
        }

        void write(Path p, byte[] bytes) throws IOException {
            Files.write(p, bytes);
            touch(p);
        }

        void touch(Path p) throws IOException {
            if (oldTimes) {
                fakeMillis += 1000;
                Files.setLastModifiedTime(p, FileTime.fromMillis(fakeMillis));
            }
        }
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }
}
