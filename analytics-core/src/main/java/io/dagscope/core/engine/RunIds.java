package io.dagscope.core.engine;

import io.dagscope.core.time.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Inferred run ids, page cursors and the compact hash that remembers dropped runs. */
final class RunIds {

    private RunIds() {
    }

    /**
     * The id of a run inferred from a log without run ids: stable across restarts, derived from the source, the DAG
     * and the start.
     */
    static String inferred(String source, String dag, long startedAtMicros) {
        return "inferred|" + source + "|" + dag + "|" + Timestamps.format(startedAtMicros);
    }

    /** A cursor pointing at a run's place in the newest-first order. */
    static String cursor(Run run) {
        String raw = run.indexStartedAt + ":" + run.id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A probe run at a cursor's place.
     *
     * @throws IllegalArgumentException if the text is not a cursor this engine gave out
     */
    static Run decodeCursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException();
            }
            Run probe = new Run(raw.substring(colon + 1), false, -1);
            probe.indexStartedAt = Long.parseLong(raw.substring(0, colon));
            return probe;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + cursor + "' is not a cursor from a previous page of dagRuns");
        }
    }

    /** A 64-bit hash of a run id (FNV-1a over its chars, then mixed). */
    static long hash64(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h == Long.MIN_VALUE ? 0 : h;
    }
}
