package io.dagscope.core.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files left behind by a process killed with SIGKILL while it held a store are removed when a store next opens in
 * the same folder, and only those: a live process's files, this JVM's other stores' files and unrelated files stay.
 * The processes are real child JVMs ({@link HistoryStoreHolder}); {@link Process#destroyForcibly()} sends SIGKILL on
 * Linux, so the killed one runs no shutdown hook and deletes nothing.
 */
class FileHistoryStoreCrashTest {

    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Holder> holders = new ArrayList<>();

    /** A child JVM holding a store. */
    private record Holder(Process process, BufferedReader out, Writer in) {

        String next() throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        }

        String ask(String line) throws Exception {
            in.write(line + "\n");
            in.flush();
            return next();
        }
    }

    private Holder startHolder() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = location(HistoryStoreHolder.class) + File.pathSeparator + location(FileHistoryStore.class);
        Process p = new ProcessBuilder(javaBin, "-cp", classpath, HistoryStoreHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Holder h = new Holder(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8));
        holders.add(h);
        assertEquals("ready", h.next(), "the child opened its store");
        return h;
    }

    private static String location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    @AfterEach
    void stopHolders() throws InterruptedException {
        for (Holder h : holders) {
            h.process().destroyForcibly();
            h.process().waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private Set<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> minus(Set<String> a, Set<String> b) {
        Set<String> out = new TreeSet<>(a);
        out.removeAll(b);
        return out;
    }

    @Test
    void aStartRemovesWhatAKilledProcessLeftAndNothingElse() throws Exception {
        // unrelated files, some of them with names much like the store's own
        Set<String> unrelated = Set.of("notes.txt", "dagscope-history-notes.lock", "dagscope-history-1234.blocks",
                "dagscope-history-5678.table", "dagscope-history-0123456789abcdef.lock", "other.lock");
        for (String name : unrelated) {
            Files.writeString(dir.resolve(name), "keep me");
        }
        Holder killed = startHolder();
        Set<String> killedFiles = minus(files(), unrelated);
        Holder live = startHolder();
        Set<String> liveFiles = minus(minus(files(), unrelated), killedFiles);
        assertFalse(killedFiles.isEmpty() || liveFiles.isEmpty(), files().toString());
        // a store of this JVM, open while the next one starts
        try (FileHistoryStore mine = FileHistoryStore.open(dir)) {
            long handle = mine.put(new byte[] {1, 2, 3}, 3);
            Set<String> mineFiles = minus(minus(minus(files(), unrelated), killedFiles), liveFiles);

            killed.process().destroyForcibly();
            assertTrue(killed.process().waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS));
            assertTrue(files().containsAll(killedFiles), "SIGKILL left the files behind: " + files());

            try (FileHistoryStore next = FileHistoryStore.open(dir)) {
                next.put(new byte[] {4}, 1);
                Set<String> now = files();
                for (String f : killedFiles) {
                    assertFalse(now.contains(f), "the killed process's " + f + " was removed: " + now);
                }
                assertTrue(now.containsAll(liveFiles), "the live process's files stay: " + now);
                assertTrue(now.containsAll(mineFiles), "this JVM's other store's files stay: " + now);
                assertTrue(now.containsAll(unrelated), "unrelated files stay: " + now);
                assertEquals("whole", live.ask("check"), "the live process still reads and writes its store");
                assertEquals(3, mine.get(handle).get(2), "this JVM's store still reads its block");
            }
        }
        // the live process ends normally: its files go with it; then nothing of any store is left
        live.in().close();
        assertTrue(live.process().waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, live.process().exitValue());
        assertEquals(unrelated, files());
    }

    @Test
    void manyKilledProcessesAreAllCleanedByOneStartAndAgainIsHarmless() throws Exception {
        List<Holder> killed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            killed.add(startHolder());
        }
        Set<String> left = files();
        for (Holder h : killed) {
            h.process().destroyForcibly();
            assertTrue(h.process().waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(left, files(), "killed: their files stay until a start");
        try (FileHistoryStore next = FileHistoryStore.open(dir)) {
            long handle = next.put(new byte[] {8}, 1);
            Set<String> own = files();
            assertEquals(own, minus(own, left), "only the new store's files remain: " + own);
            try (FileHistoryStore another = FileHistoryStore.open(dir)) {
                assertTrue(files().containsAll(own), "a second start in this JVM leaves the first store alone");
                another.put(new byte[] {9}, 1);
            }
            assertEquals(own, files());
            assertEquals(8, next.get(handle).get(0));
        }
        assertEquals(Set.of(), files());
    }
}
