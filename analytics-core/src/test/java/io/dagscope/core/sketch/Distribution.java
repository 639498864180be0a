package io.dagscope.core.sketch;

import java.util.SplittableRandom;

/** Value distributions to test the sketch on, in microseconds where they model durations. Seeded: reproducible. */
enum Distribution {

    /** Uniform over 0 to 10 s. */
    UNIFORM {
        @Override
        double next(SplittableRandom random) {
            return random.nextDouble() * 10_000_000;
        }
    },
    /** Exponential with a mean of 5 s, whole microseconds. */
    EXPONENTIAL {
        @Override
        double next(SplittableRandom random) {
            return Math.rint(-Math.log1p(-random.nextDouble()) * 5_000_000);
        }
    },
    /** Log-normal task durations, median 4 s, clipped to 0.5 s to 90 s, whole microseconds: ties at both ends. */
    LOG_NORMAL_TASK_DURATIONS {
        @Override
        double next(SplittableRandom random) {
            double duration = Math.exp(Math.log(4_000_000) + 1.1 * random.nextGaussian());
            return Math.rint(Math.max(500_000, Math.min(90_000_000, duration)));
        }
    },
    /** Pareto with a scale of 1 ms and shape 1.1: a tail reaching far beyond the median. */
    PARETO {
        @Override
        double next(SplittableRandom random) {
            return 1_000 / Math.pow(1 - random.nextDouble(), 1 / 1.1);
        }
    },
    /** Fast tasks around 2 s and slow ones around 60 s, 70:30. */
    BIMODAL {
        @Override
        double next(SplittableRandom random) {
            double mean = random.nextDouble() < 0.7 ? 2_000_000 : 60_000_000;
            return Math.rint(Math.abs(mean + 0.1 * mean * random.nextGaussian()));
        }
    },
    /** One value, 42 s, over and over. */
    CONSTANT {
        @Override
        double next(SplittableRandom random) {
            return 42_000_000;
        }
    },
    /** Zeros, magnitudes below 1, negative and positive values over eight decades, mixed. */
    ZEROS_AND_NEGATIVES {
        @Override
        double next(SplittableRandom random) {
            double u = random.nextDouble();
            double magnitude = Math.exp(random.nextDouble() * Math.log(1e8));
            if (u < 0.15) {
                return 0;
            }
            if (u < 0.20) {
                return random.nextDouble() * 2 - 1;
            }
            return u < 0.45 ? -magnitude : magnitude;
        }
    };

    /** One value. */
    abstract double next(SplittableRandom random);

    /** {@code n} values from a generator seeded by the distribution and {@code seed}. */
    double[] sample(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed * 31 + ordinal());
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = next(random);
        }
        return values;
    }
}
