package io.dagscope.core.history;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A process that holds a {@link FileHistoryStore} for {@link FileHistoryStoreCrashTest}: it opens one in the folder
 * it is given, writes a block and a table, says {@code ready}, then answers {@code check} (are its files still
 * whole?) until its standard input ends, when it closes the store and exits. Killed instead, it leaves its files.
 */
public final class HistoryStoreHolder {

    private HistoryStoreHolder() {
    }

    /**
     * @param args the folder
     * @throws Exception on any failure, which ends the process with a stack trace
     */
    public static void main(String[] args) throws Exception {
        FileHistoryStore store = FileHistoryStore.open(Path.of(args[0]));
        byte[] block = "the history of one process".getBytes(StandardCharsets.UTF_8);
        long handle = store.put(block, block.length);
        ByteBuffer table = store.allocate(1 << 16);
        table.putLong(8, 42);
        System.out.println("ready");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("check")) {
                byte[] read = new byte[block.length];
                store.get(handle).get(0, read);
                // a block written now must land in the file too: the store still works
                long more = store.put(block, block.length);
                byte[] again = new byte[block.length];
                store.get(more).get(0, again);
                boolean whole = Arrays.equals(read, block) && Arrays.equals(again, block) && table.getLong(8) == 42;
                System.out.println(whole ? "whole" : "damaged");
                System.out.flush();
            }
        }
        store.close();
    }
}
