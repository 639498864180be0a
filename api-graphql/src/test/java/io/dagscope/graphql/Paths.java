package io.dagscope.graphql;

import java.util.List;
import java.util.Map;

/** Reads a value out of a spec-shaped result by a path such as {@code data.dagRuns.edges[0].node.id}. */
final class Paths {

    private Paths() {
    }

    static Object at(Map<String, Object> result, String path) {
        Object current = result;
        for (String step : path.split("\\.")) {
            int bracket = step.indexOf('[');
            String key = bracket < 0 ? step : step.substring(0, bracket);
            current = child(current, key, path);
            while (bracket >= 0) {
                int close = step.indexOf(']', bracket);
                int index = Integer.parseInt(step.substring(bracket + 1, close));
                if (!(current instanceof List<?> list)) {
                    throw new AssertionError("no list at " + key + " in " + path + ": " + result);
                }
                current = list.get(index);
                bracket = step.indexOf('[', close);
            }
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, Object> result, String path) {
        return (Map<String, Object>) at(result, path);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> errors(Map<String, Object> result) {
        Object errors = result.get("errors");
        return errors == null ? List.of() : (List<Map<String, Object>>) errors;
    }

    /** The only error of a result; fails the test unless there is exactly one. */
    static Map<String, Object> onlyError(Map<String, Object> result) {
        List<Map<String, Object>> errors = errors(result);
        if (errors.size() != 1) {
            throw new AssertionError("expected exactly one error, got " + result);
        }
        return errors.get(0);
    }

    private static Object child(Object current, String key, String path) {
        if (!(current instanceof Map<?, ?> map)) {
            throw new AssertionError("no object at " + key + " in " + path);
        }
        if (!map.containsKey(key)) {
            throw new AssertionError("no " + key + " in " + map.keySet() + " (path " + path + ")");
        }
        return map.get(key);
    }

    /**
     * Every result a subscription's stream publishes, until it completes (within five seconds).
     *
     * @param data a subscription result's data: a reactive-streams publisher of execution results
     * @return each result in specification form
     */
    static List<Map<String, Object>> collect(Object data) throws InterruptedException {
        @SuppressWarnings("unchecked")
        org.reactivestreams.Publisher<graphql.ExecutionResult> stream =
                (org.reactivestreams.Publisher<graphql.ExecutionResult>) data;
        List<Map<String, Object>> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        stream.subscribe(new org.reactivestreams.Subscriber<>() {
            @Override
            public void onSubscribe(org.reactivestreams.Subscription subscription) {
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(graphql.ExecutionResult result) {
                events.add(result.toSpecification());
            }

            @Override
            public void onError(Throwable error) {
                events.add(Map.of("streamError", error.toString()));
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        });
        if (!done.await(5, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the subscription's stream did not complete");
        }
        return events;
    }
}
