package io.dagscope.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Rotates a log as logrotate does with {@code compress} and {@code delaycompress}, in the steps a followed source sees:
 * the compressed files move up one number ({@code x.2.gz} to {@code x.3.gz}, highest first), the previous rotation
 * ({@code x.1}) is renamed {@code x.2} and compressed into {@code x.2.gz} beside it (written a piece at a time, then
 * the plain file deleted), and the log itself is renamed {@code x.1}; the writer then reopens {@code x}. Nothing is
 * ever deleted but a plain file once its compressed copy is whole, so every line stays in one of the files.
 */
final class LogRotation {

    private LogRotation() {
    }

    /**
     * Moves the compressed files up one number, and compresses the previous rotation.
     *
     * @param log the log ({@code x})
     * @return whether a file was compressed
     * @throws IOException if a rename or the compression fails
     */
    static boolean shiftAndCompress(Path log) throws IOException {
        String name = log.getFileName().toString();
        Pattern numbered = Pattern.compile(Pattern.quote(name) + "\\.(\\d+)\\.gz");
        List<Integer> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(log.getParent())) {
            for (Path p : files.toList()) {
                Matcher m = numbered.matcher(p.getFileName().toString());
                if (m.matches()) {
                    numbers.add(Integer.parseInt(m.group(1)));
                }
            }
        }
        numbers.sort(Comparator.reverseOrder());
        for (int n : numbers) {
            Files.move(sibling(log, "." + n + ".gz"), sibling(log, "." + (n + 1) + ".gz"));
        }
        Path previous = sibling(log, ".1");
        if (!Files.exists(previous)) {
            return false;
        }
        Path plain = sibling(log, ".2");
        Files.move(previous, plain);
        try (InputStream in = Files.newInputStream(plain);
                OutputStream out = new GZIPOutputStream(Files.newOutputStream(sibling(log, ".2.gz")), 64 * 1024)) {
            in.transferTo(out);
        }
        Files.delete(plain);
        return true;
    }

    /**
     * Renames the log away ({@code x} to {@code x.1}); a writer that still has it open goes on writing there until
     * it reopens {@code x}.
     *
     * @param log the log
     * @throws IOException if the rename fails
     */
    static void renameAway(Path log) throws IOException {
        Files.move(log, sibling(log, ".1"));
    }

    /**
     * Every file of a log, oldest first, as logrotate names them: {@code x.3.gz}, {@code x.2.gz}, {@code x.1},
     * {@code x}.
     *
     * @param log the log
     * @return the files that exist
     * @throws IOException if the folder cannot be listed
     */
    static List<Path> files(Path log) throws IOException {
        String name = log.getFileName().toString();
        Pattern rotated = Pattern.compile(Pattern.quote(name) + "\\.(\\d+)(\\.gz)?");
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(log.getParent())) {
            for (Path p : files.toList()) {
                if (rotated.matcher(p.getFileName().toString()).matches()) {
                    out.add(p);
                }
            }
        }
        out.sort(Comparator.comparingInt((Path p) -> {
            Matcher m = rotated.matcher(p.getFileName().toString());
            return m.matches() ? Integer.parseInt(m.group(1)) : 0;
        }).reversed());
        if (Files.exists(log)) {
            out.add(log);
        }
        return out;
    }

    private static Path sibling(Path log, String suffix) {
        return log.resolveSibling(log.getFileName() + suffix);
    }
}
