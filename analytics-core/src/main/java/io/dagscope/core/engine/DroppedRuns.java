package io.dagscope.core.engine;

import java.util.Arrays;

/**
 * The runs whose detail retention dropped, by the hash of their id, with their tenant: a late event of such a run
 * counts under its tenant and does not start a new run. Recent drops go into a hash map; every
 * {@value #MERGE_AT} of them are merged into one sorted archive of 12 bytes a run (the hash and the tenant), looked
 * up by binary search, so that months of dropped runs cost a few megabytes.
 */
final class DroppedRuns {

    static final int MERGE_AT = 1 << 16;

    private LongMap<Integer> recent = new LongMap<>(1024);
    private long[] archivedHashes = new long[0];
    private int[] archivedTenants = new int[0];
    private long dropped;

    /** Remembers a dropped run. */
    void put(long runHash, int tenant) {
        recent.put(runHash, tenant);
        dropped++;
        if (recent.size() >= MERGE_AT) {
            archiveRecent();
        }
    }

    /** @return the tenant of a dropped run, or null */
    Integer get(long runHash) {
        if (dropped == 0) {
            return null;
        }
        Integer tenant = recent.get(runHash);
        if (tenant != null) {
            return tenant;
        }
        int at = Arrays.binarySearch(archivedHashes, runHash);
        return at >= 0 ? archivedTenants[at] : null;
    }

    /** @return runs dropped so far */
    long dropped() {
        return dropped;
    }

    /** @return the bytes of the archive's arrays' contents */
    long archivedBytes() {
        return 12L * archivedHashes.length;
    }

    private void archiveRecent() {
        int n = recent.size();
        long[] hashes = new long[n];
        int[] tenants = new int[n];
        int[] i = {0};
        recent.forEach((hash, tenant) -> {
            hashes[i[0]] = hash;
            tenants[i[0]++] = tenant;
        });
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (a, b) -> Long.compare(hashes[a], hashes[b]));
        long[] mergedHashes = new long[archivedHashes.length + n];
        int[] mergedTenants = new int[archivedHashes.length + n];
        int a = 0;
        int r = 0;
        int size = 0;
        while (a < archivedHashes.length || r < n) {
            boolean takeRecent = a == archivedHashes.length
                    || (r < n && hashes[order[r]] <= archivedHashes[a]);
            if (takeRecent) {
                long hash = hashes[order[r]];
                if (a < archivedHashes.length && archivedHashes[a] == hash) {
                    a++; // the same run dropped again (its id reused): the newer tenant wins
                }
                mergedHashes[size] = hash;
                mergedTenants[size++] = tenants[order[r++]];
            } else {
                mergedHashes[size] = archivedHashes[a];
                mergedTenants[size++] = archivedTenants[a++];
            }
        }
        archivedHashes = Arrays.copyOf(mergedHashes, size);
        archivedTenants = Arrays.copyOf(mergedTenants, size);
        recent = new LongMap<>(1024);
    }
}
