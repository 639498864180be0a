package io.dagscope.server.http;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Whether the process can still answer, for {@code /health}: it is down for good once the JVM reported a fatal error
 * (an {@link OutOfMemoryError} or another {@link VirtualMachineError}, or a thread of its own died), after which
 * nothing it answers can be trusted and it should be restarted; and down for as long as the execution pool cannot run
 * a trivial query (see {@link GraphQlService#probe}). The pool is probed at most once a {@value #PROBE_EVERY_MILLIS} ms
 * however often {@code /health} is asked, one probe at a time; a caller that arrives meanwhile gets the last result
 * at once, so {@code /health} stays cheap.
 */
final class Liveness {

    static final long PROBE_EVERY_MILLIS = 1000;

    private final Supplier<Optional<String>> probe;
    private final AtomicReference<String> fatal = new AtomicReference<>();
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Optional<String> last = Optional.empty();
    private volatile long lastAt = System.nanoTime() - Duration.ofMillis(PROBE_EVERY_MILLIS).toNanos();

    /**
     * @param probe runs the probe: empty when the pool answers, else why it does not
     */
    Liveness(Supplier<Optional<String>> probe) {
        this.probe = probe;
    }

    /**
     * Records a fatal error; the first one is the reason given from then on.
     *
     * @param what where it happened
     * @param error the error
     */
    void fatal(String what, Throwable error) {
        fatal.compareAndSet(null, describe(what, error));
    }

    /**
     * @param what where it happened
     * @param error the error
     * @return a line naming the fatal error in it (or, if none, the error)
     */
    static String describe(String what, Throwable error) {
        return what + ": " + fatalCause(error).orElse(error).getClass().getSimpleName();
    }

    /**
     * @param error a throwable caught somewhere
     * @return whether it, or a cause of it, is one the JVM may not recover from
     */
    static boolean isFatal(Throwable error) {
        return fatalCause(error).isPresent();
    }

    private static Optional<Throwable> fatalCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** @return empty when the process is alive, else why it is not */
    Optional<String> down() {
        String f = fatal.get();
        if (f != null) {
            return Optional.of(f);
        }
        if (System.nanoTime() - lastAt >= Duration.ofMillis(PROBE_EVERY_MILLIS).toNanos()
                && probing.compareAndSet(false, true)) {
            try {
                last = probe.get();
                lastAt = System.nanoTime();
            } finally {
                probing.set(false);
            }
        }
        return Optional.ofNullable(fatal.get()).or(() -> last);
    }
}
