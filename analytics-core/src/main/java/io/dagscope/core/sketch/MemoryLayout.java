package io.dagscope.core.sketch;

/**
 * Object sizes on a 64-bit HotSpot JVM with compressed class pointers and compressed references (the default below
 * 32 GB of heap): a 12-byte object header, a 16-byte array header, 4-byte references, 8-byte alignment. Estimates,
 * for reporting memory, not for deciding anything that must be exact.
 */
final class MemoryLayout {

    static final int OBJECT_HEADER = 12;
    static final int REFERENCE = 4;

    private static final int ARRAY_HEADER = 16;

    private MemoryLayout() {
    }

    static long longArray(int length) {
        return align(ARRAY_HEADER + 8L * length);
    }

    static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }
}
