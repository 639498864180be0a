package io.dagscope.generator;

/**
 * One rendered log line waiting to be written.
 *
 * @param micros its timestamp, epoch microseconds
 * @param seq the order it was made in, which breaks ties between equal timestamps
 * @param type what it is, and so which log it goes to
 * @param bytes the line, {@code \n} included
 */
record Line(long micros, long seq, EventType type, byte[] bytes) implements Comparable<Line> {

    @Override
    public int compareTo(Line o) {
        int c = Long.compare(micros, o.micros);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
