package io.dagscope.source.s3;

import io.dagscope.core.port.out.EventSource;
import io.dagscope.spi.EventSourceFactory;
import io.dagscope.spi.SourceConfigurationException;
import io.dagscope.spi.SourceContext;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Creates {@code s3} sources: the orchestrator's logs as objects under a prefix of an S3 bucket, or of any
 * S3-compatible store (MinIO, Ceph, R2, S3Proxy), plain or gzip, read in key order.
 *
 * <p>Location: {@code s3://BUCKET/PREFIX?option=value&...}. Options:
 * <ul>
 *   <li>{@value S3Options#REGION}: the bucket's region (else the environment's, following the bucket to its own);</li>
 *   <li>{@value S3Options#ENDPOINT}: an S3-compatible store's URL, e.g. {@code http://127.0.0.1:9000};</li>
 *   <li>{@value S3Options#PATH_STYLE}: {@code true} to name the bucket in the path rather than the host name
 *       (default: true with an endpoint, false without);</li>
 *   <li>{@value S3Options#SUFFIX}: comma-separated key endings to read (default {@code .jsonl,.jsonl.gz}), or
 *       {@code *} for every key;</li>
 *   <li>{@value S3Options#POLL_SECONDS}: seconds between listings while following (default 30);</li>
 *   <li>{@value S3Options#CONCURRENCY}: objects fetched and decoded at once, 1 to 64 (default 4);</li>
 *   <li>{@value S3Options#ACCESS_KEY} and {@value S3Options#SECRET_KEY}: static credentials, secret (refused on the
 *       command line by the host); without them, the AWS default credential chain.</li>
 * </ul>
 */
public final class S3SourceFactory implements EventSourceFactory {

    /** The factory's name, and the scheme of its locations. */
    public static final String NAME = "s3";

    private static final Set<String> OPTIONS = Set.of(S3Options.REGION, S3Options.ENDPOINT, S3Options.PATH_STYLE,
            S3Options.SUFFIX, S3Options.POLL_SECONDS, S3Options.CONCURRENCY, S3Options.ACCESS_KEY,
            S3Options.SECRET_KEY);
    private static final Set<String> SECRETS = Set.of(S3Options.ACCESS_KEY, S3Options.SECRET_KEY);

    /** Found by {@link java.util.ServiceLoader}. */
    public S3SourceFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "JSONL logs as objects under an S3 prefix (AWS or any S3-compatible store), plain or gzip";
    }

    @Override
    public Set<String> secretOptionNames() {
        return SECRETS;
    }

    @Override
    public Set<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public EventSource create(Map<String, String> options, SourceContext context) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(context, "context");
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new SourceConfigurationException("unknown option '" + key + "' for an " + NAME
                        + " source; allowed: " + String.join(", ", new TreeSet<>(OPTIONS)));
            }
        }
        S3Options parsed = S3Options.parse(context.target(), options);
        return new S3Source(context.name(), parsed, context.follow(), context.maxLineBytes(), context.clock(),
                () -> new AwsObjectStore(parsed, AwsObjectStore.DEFAULT_PAGE_SIZE), S3Source.DEFAULT_READ_AHEAD_BYTES,
                S3Source.DEFAULT_RESUME_PAUSE_MILLIS, context.timestamps());
    }
}
