package io.dagscope.core.engine;

/**
 * How a kind of partial aggregate is written compactly and read back exactly, for the {@link TimeSeries sealed}
 * days of a series.
 *
 * @param <C> the aggregate
 */
interface CellCodec<C> {

    /** Writes a cell; reading it back gives a cell that merges exactly as this one does. */
    void write(C cell, Bytes.Writer out);

    /** Reads a cell that {@link #write} wrote, as a new object. */
    C read(Bytes.Reader in);

    /** Adds a cell that {@link #write} wrote to {@code target}, as {@link #merge} would add the cell itself. */
    void addEncoded(Bytes.Reader in, C target);

    /** Adds a cell to {@code target} (a sum that a query owns). */
    void merge(C cell, C target);

    /** Moves past a cell that {@link #write} wrote, without making it. */
    void skip(Bytes.Reader in);

    /** Whether the cell adds nothing to any figure (such a cell need not be kept). */
    boolean isEmpty(C cell);

    /** The codec of the run-start counters: one count a cell. */
    CellCodec<long[]> COUNTER = new CellCodec<>() {
        @Override
        public void write(long[] cell, Bytes.Writer out) {
            out.signed(cell[0]);
        }

        @Override
        public long[] read(Bytes.Reader in) {
            return new long[] {in.signed()};
        }

        @Override
        public void addEncoded(Bytes.Reader in, long[] target) {
            target[0] += in.signed();
        }

        @Override
        public void merge(long[] cell, long[] target) {
            target[0] += cell[0];
        }

        @Override
        public void skip(Bytes.Reader in) {
            in.signed();
        }

        @Override
        public boolean isEmpty(long[] cell) {
            return cell[0] == 0;
        }
    };
}
