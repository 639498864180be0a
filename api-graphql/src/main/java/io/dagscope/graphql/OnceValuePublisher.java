package io.dagscope.graphql;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A publisher of one value, for a {@code Subscription} field executed in-process: graphql-java wants a stream of
 * events from a subscription's root field, and without a server to re-send it the stream is the current answer once.
 * (The server re-runs the same selection itself whenever the data changes.) A null answer is published as an empty
 * {@link Optional}, which graphql-java unwraps to null, since a stream cannot carry null.
 */
final class OnceValuePublisher implements Flow.Publisher<Object> {

    private final Object value;

    /**
     * @param value the answer, or null
     */
    OnceValuePublisher(Object value) {
        this.value = value == null ? Optional.empty() : value;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super Object> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        AtomicBoolean done = new AtomicBoolean();
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    if (done.compareAndSet(false, true)) {
                        subscriber.onError(new IllegalArgumentException("request(" + n + "): must be positive"));
                    }
                    return;
                }
                if (done.compareAndSet(false, true)) {
                    subscriber.onNext(value);
                    subscriber.onComplete();
                }
            }

            @Override
            public void cancel() {
                done.set(true);
            }
        });
    }
}
