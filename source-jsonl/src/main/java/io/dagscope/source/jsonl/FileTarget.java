package io.dagscope.source.jsonl;

import io.dagscope.spi.SourceConfigurationException;
import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.PatternSyntaxException;

/**
 * What a {@code jsonl} location names: one file, or a glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}},
 * {@code **}) over the files under its longest glob-free directory prefix. Listing it gives the matching regular
 * files, oldest first ({@link LogFileOrder}). Symbolic links to files count as files; links to directories are not
 * followed.
 */
final class FileTarget {

    /**
     * The result of a listing.
     *
     * @param files the matching files, oldest first
     * @param problem why the location cannot be read now (nothing matches, a directory), or null
     */
    record Listing(List<MatchedFile> files, String problem) {
    }

    private record Ordered(MatchedFile file, LogFileOrder order) {
    }

    private final String target;
    private final Path base;
    private final PathMatcher matcher;
    private final int maxDepth;

    private FileTarget(String target, Path base, PathMatcher matcher, int maxDepth) {
        this.target = target;
        this.base = base;
        this.matcher = matcher;
        this.maxDepth = maxDepth;
    }

    /**
     * @param target a path or a glob
     * @return the target
     * @throws SourceConfigurationException if it is empty, or not a valid path or glob
     */
    static FileTarget parse(String target) {
        if (target == null || target.isBlank()) {
            throw new SourceConfigurationException("a jsonl source needs a file path or glob");
        }
        String normalized = File.separatorChar == '/' ? target : target.replace(File.separatorChar, '/');
        String[] segments = normalized.split("/", -1);
        int firstGlob = 0;
        while (firstGlob < segments.length && !hasGlob(segments[firstGlob])) {
            firstGlob++;
        }
        try {
            if (firstGlob == segments.length) {
                return new FileTarget(target, Path.of(target), null, 0);
            }
            String baseText = String.join("/", Arrays.copyOfRange(segments, 0, firstGlob));
            Path base = firstGlob == 0 ? Path.of(".") : Path.of(baseText.isEmpty() ? "/" : baseText);
            String pattern = String.join("/", Arrays.copyOfRange(segments, firstGlob, segments.length));
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            int depth = pattern.contains("**") ? Integer.MAX_VALUE : segments.length - firstGlob;
            return new FileTarget(target, base, matcher, depth);
        } catch (InvalidPathException | PatternSyntaxException e) {
            throw new SourceConfigurationException("not a valid file path or glob: " + target + " (" + e.getMessage()
                    + ")", e);
        }
    }

    private static boolean hasGlob(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    /** @return the directory a glob is matched under, or the file itself */
    Path base() {
        return base;
    }

    /** @return whether the target is a glob */
    boolean isGlob() {
        return matcher != null;
    }

    /**
     * Lists the files the target matches now.
     *
     * @return the files, oldest first, or why there are none to read
     * @throws IOException if a directory cannot be listed
     */
    Listing list() throws IOException {
        if (matcher == null) {
            return listOne();
        }
        List<Ordered> found = new ArrayList<>();
        Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), maxDepth,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                        Path relative = base.relativize(file);
                        if (!matcher.matches(relative)) {
                            return FileVisitResult.CONTINUE;
                        }
                        BasicFileAttributes a = attrs;
                        if (a.isSymbolicLink()) {
                            try {
                                a = Files.readAttributes(file, BasicFileAttributes.class);
                            } catch (IOException e) {
                                return FileVisitResult.CONTINUE; // a dangling link
                            }
                        }
                        if (a.isRegularFile()) {
                            MatchedFile f = new MatchedFile(file, a.fileKey(), a.size(), a.lastModifiedTime());
                            found.add(new Ordered(f, LogFileOrder.of(slashes(relative))));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        // a missing base or an unreadable subdirectory: nothing of it matches
                        return FileVisitResult.CONTINUE;
                    }
                });
        found.sort(Comparator.comparing(Ordered::order, LogFileOrder.OLDEST_FIRST));
        List<MatchedFile> sorted = new ArrayList<>(found.size());
        for (Ordered o : found) {
            sorted.add(o.file());
        }
        return new Listing(sorted, sorted.isEmpty() ? noMatch() : null);
    }

    private Listing listOne() throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(base, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Listing(List.of(), noMatch());
        }
        if (a.isDirectory()) {
            return new Listing(List.of(), target + " is a directory: name a file, or a glob such as " + target
                    + (target.endsWith("/") ? "" : "/") + "*.jsonl*");
        }
        if (!a.isRegularFile()) {
            return new Listing(List.of(), target + " is not a regular file");
        }
        return new Listing(List.of(new MatchedFile(base, a.fileKey(), a.size(), a.lastModifiedTime())), null);
    }

    private String noMatch() {
        return "no file matches " + target;
    }

    private static String slashes(Path relative) {
        String s = relative.toString();
        return File.separatorChar == '/' ? s : s.replace(File.separatorChar, '/');
    }

    @Override
    public String toString() {
        return target;
    }
}
