package io.dagscope.source.jsonl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The logs the source knows, and which of them each file holds: a log's identity is its first bytes
 * ({@link Fingerprint}), so a file keeps its log while it starts with them, leaves it when it is rewritten or
 * truncated (copy-truncate rotation), and a file seen for the first time that starts with a known log's bytes (a
 * copy, a compressed rotated file) is that log, read on from where the log was delivered to. Logs no listed file
 * holds are remembered a while, so that a copy made before its original was deleted is still recognised. Owned by the
 * polling thread.
 */
final class KnownLogs {

    /** Logs no listed file holds any more, remembered so that a copy or a compressed file is still recognised. */
    static final int UNLISTED_STREAMS_KEPT = 128;

    private final FileBytes bytes;
    private List<LogStream> streams = new ArrayList<>();
    private long polls;

    /** @param bytes counts what reading a file's first bytes costs */
    KnownLogs(FileBytes bytes) {
        this.bytes = bytes;
    }

    /** Starts a poll: the logs that files listed in it hold are marked with it. */
    void newPoll() {
        polls++;
    }

    /**
     * Marks a log as held by a file listed in this poll.
     *
     * @param s the log
     */
    void listed(LogStream s) {
        s.lastListed = polls;
    }

    /** A known log a file's first bytes are a copy of, if any, and whether they may yet turn out to be. */
    private record Recognition(LogStream copied, boolean maybeCopy) {
    }

    /**
     * Settles which log a file holds, by its first bytes. A file that no longer starts with its log's first bytes, or
     * that shrank ({@code shrank}), leaves it. A file seen for the first time, or after it left its log, holds a
     * known log if it starts with that log's bytes (the one delivered furthest, if several), else a new log, unless
     * its bytes so far are only the start of a known log (a copy still being written). A file whose log could not
     * yet be told apart from others (nothing but blank lines or the start of a line delivered) holds the log of a
     * copy of it read since, if any.
     *
     * @param c the file
     * @param first its first bytes, up to {@link Fingerprint#MAX_BYTES}
     * @param shrank whether it is shorter than the bytes of it already delivered
     * @return whether the file now holds a log; false while that cannot be told
     */
    boolean tell(FileCursor c, byte[] first, boolean shrank) {
        if (c.stream != null && (shrank || c.stream.head.relationTo(first) != Fingerprint.Relation.STARTS_WITH_IT)) {
            // truncated (copy-truncate rotation), rewritten in place, or another file on a reused inode
            FileCursor.Kind kind = c.kind;
            c.detach();
            c.kind = kind;
        }
        if (c.stream != null) {
            if (!c.stream.recognisesCopies()) {
                LogStream copied = recognise(first).copied();
                if (copied != null && copied.position.offset() >= c.stream.position.offset()) {
                    join(c, copied); // a copy of it, read first, delivered it already
                }
            }
            return true;
        }
        if (first.length == 0) {
            return false;
        }
        Recognition r = recognise(first);
        if (r.copied() != null) {
            join(c, r.copied());
        } else if (r.maybeCopy()) {
            return false;
        } else {
            LogStream fresh = new LogStream();
            streams.add(fresh);
            join(c, fresh);
        }
        return true;
    }

    private Recognition recognise(byte[] first) {
        LogStream copied = null;
        boolean maybeCopy = false;
        for (LogStream s : streams) {
            if (!s.recognisesCopies()) {
                continue;
            }
            switch (s.head.relationTo(first)) {
                case STARTS_WITH_IT -> {
                    if (copied == null || s.position.offset() > copied.position.offset()) {
                        copied = s;
                    }
                }
                case SHORTER_PREFIX -> maybeCopy = true;
                case DIFFERENT -> {
                    // another log
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Recognition(copied, maybeCopy);
    }

    private void join(FileCursor c, LogStream s) {
        c.stream = s;
        c.covered = 0;
        listed(s);
    }

    /**
     * Lets the log's fingerprint cover what has been delivered of its first {@link Fingerprint#MAX_BYTES}.
     *
     * @param s the log
     * @param first the first bytes of the file just read
     * @param channel the file, to read more of its first bytes if needed; null for a gzip file
     * @throws IOException from the file
     */
    void extendHead(LogStream s, byte[] first, FileChannel channel) throws IOException {
        int wanted = (int) Math.min(Fingerprint.MAX_BYTES, s.position.offset());
        if (s.head.length() >= wanted) {
            return;
        }
        byte[] head = first.length >= wanted || channel == null ? first : bytes.first(channel, wanted);
        if (head.length >= wanted) {
            s.head = Fingerprint.of(head, wanted);
        }
    }

    /**
     * Keeps every log a listed file holds, and the most recently listed of the others (the newest first), up to
     * {@value #UNLISTED_STREAMS_KEPT}: a log whose file was deleted after being compressed is still recognised in
     * its compressed copy.
     *
     * @param listed the files listed now
     */
    void forgetUnlisted(List<FileCursor> listed) {
        Set<LogStream> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        for (FileCursor c : listed) {
            if (c.stream != null) {
                kept.add(c.stream);
            }
        }
        List<LogStream> unlisted = new ArrayList<>();
        for (int i = streams.size() - 1; i >= 0; i--) {
            LogStream s = streams.get(i);
            if (!kept.contains(s) && s.recognisesCopies()) {
                unlisted.add(s); // the newest first, so that of logs last listed together the newest are kept
            }
        }
        unlisted.sort(Comparator.comparingLong((LogStream s) -> s.lastListed).reversed());
        kept.addAll(unlisted.subList(0, Math.min(UNLISTED_STREAMS_KEPT, unlisted.size())));
        streams.removeIf(s -> !kept.contains(s)); // in the order they were first seen
    }

    /** Forgets every log, and the polls counted. */
    void clear() {
        streams = new ArrayList<>();
        polls = 0;
    }

    /** @return the polls started so far */
    long polls() {
        return polls;
    }

    /** @return the logs it knows, in the order they were first seen; not to be changed */
    List<LogStream> streams() {
        return Collections.unmodifiableList(streams);
    }

    /**
     * Knows the logs a position recorded, as if the polls it records had been made.
     *
     * @param logs the logs, in the order they were first seen
     * @param recordedPolls the polls made
     */
    void restore(List<LogStream> logs, long recordedPolls) {
        streams = new ArrayList<>(logs);
        polls = recordedPolls;
    }

    /** @return how many logs it knows, held by listed files or remembered */
    int size() {
        return streams.size();
    }
}
