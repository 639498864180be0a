package io.dagscope.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rate budget: spends up to its burst, refills at its rate, and says honestly how long to wait. */
class TokenBucketTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void spendsItsBurstThenRefusesWithTheSecondsUntilTheCostIsThere() {
        TokenBucket bucket = new TokenBucket(100, 1000, 0);

        assertEquals(0, bucket.tryTake(600, 0));
        assertEquals(2, bucket.tryTake(600, 0), "400 there, 600 needed, 100 a second");
        assertEquals(1, bucket.tryTake(600, SECOND + 1), "500 there after a second");
        assertEquals(0, bucket.tryTake(600, 2 * SECOND));
        assertEquals(0, bucket.available(2 * SECOND));
    }

    @Test
    void neverHoldsMoreThanItsBurst() {
        TokenBucket bucket = new TokenBucket(100, 1000, 0);

        assertTrue(bucket.full(3600 * SECOND));
        assertEquals(1000, bucket.available(3600 * SECOND));
        assertEquals(0, bucket.tryTake(1000, 3600 * SECOND));
        assertEquals(1, bucket.tryTake(1, 3600 * SECOND));
    }

    @Test
    void aCostAboveTheBurstRunsFromAFullBucketAndLeavesADebt() {
        TokenBucket bucket = new TokenBucket(100, 1000, 0);

        assertEquals(0, bucket.tryTake(5000, 0));
        assertEquals(-4000, bucket.available(0));
        assertEquals(50, bucket.tryTake(1000, 0), "from -4000 to 1000 at 100 a second");
        assertFalse(bucket.full(49 * SECOND));
        assertTrue(bucket.full(50 * SECOND));
    }

    @Test
    void whatAnExecutionCostBeyondItsEstimateIsTakenAfter() {
        TokenBucket bucket = new TokenBucket(100, 1000, 0);

        bucket.take(1500, 0);

        assertEquals(-500, bucket.available(0));
        assertEquals(6, bucket.tryTake(100, 0));
    }

    @Test
    void aRateOrBurstThatIsNotPositiveIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(10, 0, 0));
    }
}
