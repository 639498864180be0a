package io.dagscope.source.jsonl;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The files the target listed in the last poll, each with what earlier polls knew of it ({@link FileCursor}), matched
 * by file key first, so a renamed file keeps its position, else by path. Owned by the polling thread.
 */
final class ListedFiles {

    private List<FileCursor> cursors = new ArrayList<>();

    /**
     * Matches a listing with what earlier polls knew. Files no longer listed are forgotten (their logs are
     * remembered a while by {@link KnownLogs}); a file listed twice (hard links) is read once.
     *
     * @param files the files listed now
     * @param logs marks the logs the listed files hold as listed
     * @return the listed files in the order of {@link #cursors()}
     */
    List<MatchedFile> reconcile(List<MatchedFile> files, KnownLogs logs) {
        Map<Object, FileCursor> byKey = new HashMap<>();
        Map<Path, FileCursor> byPath = new HashMap<>();
        for (FileCursor c : cursors) {
            if (c.fileKey != null) {
                byKey.put(c.fileKey, c);
            }
            byPath.put(c.path, c);
        }
        Set<Object> keysSeen = new HashSet<>();
        Set<FileCursor> taken = Collections.newSetFromMap(new IdentityHashMap<>());
        List<FileCursor> next = new ArrayList<>(files.size());
        List<MatchedFile> listed = new ArrayList<>(files.size());
        for (MatchedFile f : files) {
            Object key = f.fileKey();
            if (key != null && !keysSeen.add(key)) {
                continue;
            }
            FileCursor c = key != null ? byKey.get(key) : byPath.get(f.path());
            if (c == null || !taken.add(c)) {
                c = new FileCursor(f.path(), key);
                taken.add(c);
            }
            c.path = f.path();
            if (c.stream != null) {
                logs.listed(c.stream);
            }
            next.add(c);
            listed.add(f);
        }
        cursors = next;
        return listed;
    }

    /** @return the files of the last listing, as their cursors */
    List<FileCursor> cursors() {
        return cursors;
    }

    /**
     * Knows the files a resumed position recorded, before the first listing after it is matched with them.
     *
     * @param recorded their cursors
     */
    void restore(List<FileCursor> recorded) {
        cursors = new ArrayList<>(recorded);
    }

    /** Forgets every file: the target lists none now, or the source starts again. */
    void clear() {
        cursors = new ArrayList<>();
    }
}
