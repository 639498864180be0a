package io.dagscope.generator;

import java.util.List;

/**
 * A small seeded random number generator (SplitMix64) whose every draw is specified here, so a seed gives the same
 * logs on every JDK and platform: the arithmetic is integer or {@link StrictMath}.
 */
final class Rng {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = mix(seed);
    }

    /**
     * A generator derived from a seed and a salt, independent of any other generator's draws: used for things that
     * must not depend on the order in which they are first needed (a day's incidents).
     */
    static Rng derived(long seed, long salt) {
        return new Rng(mix(seed) ^ mix(salt * GOLDEN_GAMMA + 0x632BE59BD9B4E019L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    long nextLong() {
        state += GOLDEN_GAMMA;
        return mix(state);
    }

    /** @return a double in [0, 1) */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** @return an int in [0, bound) */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** @return an int in [from, to] */
    int between(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    boolean chance(double probability) {
        return nextDouble() < probability;
    }

    double uniform(double from, double to) {
        return from + (to - from) * nextDouble();
    }

    /** @return a whole number of microseconds drawn uniformly from [fromSeconds, toSeconds) */
    long micros(double fromSeconds, double toSeconds) {
        return Math.round(uniform(fromSeconds, toSeconds) * 1_000_000d);
    }

    /** @return a standard normal draw (Box-Muller, one of the pair) */
    double gaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    /** @return a log-normal draw with this median and log-space standard deviation */
    double logNormal(double median, double sigma) {
        return median * StrictMath.exp(sigma * gaussian());
    }

    <T> T pick(List<T> items) {
        return items.get(nextInt(items.size()));
    }

    /** @return a random UUID, version 4, as Python's {@code str(uuid.uuid4())} writes it */
    String uuid() {
        long hi = (nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        long lo = (nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        char[] c = new char[36];
        hex(hi >>> 32, 8, c, 0);
        c[8] = '-';
        hex(hi >>> 16, 4, c, 9);
        c[13] = '-';
        hex(hi, 4, c, 14);
        c[18] = '-';
        hex(lo >>> 48, 4, c, 19);
        c[23] = '-';
        hex(lo, 12, c, 24);
        return new String(c);
    }

    /** @return {@code digits} lowercase hex digits */
    String hex(int digits) {
        char[] c = new char[digits];
        for (int i = 0; i < digits; i += 12) {
            int n = Math.min(12, digits - i);
            hex(nextLong(), n, c, i);
        }
        return new String(c);
    }

    private static void hex(long value, int digits, char[] out, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = Character.forDigit((int) (value & 0xF), 16);
            value >>>= 4;
        }
    }
}
