package io.dagscope.source.jsonl;

import java.io.IOException;
import java.io.InputStream;

/** A stream that reads in bulk only: its single-byte {@link #read()} goes through {@link #read(byte[], int, int)}. */
abstract class BulkInputStream extends InputStream {

    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
