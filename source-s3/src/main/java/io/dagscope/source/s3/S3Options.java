package io.dagscope.source.s3;

import io.dagscope.spi.SourceConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What an {@code s3} location says, checked: where the objects are, how to reach the store, and how to read them.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, possibly empty (then every key in the bucket)
 * @param region the region, if given
 * @param endpoint an S3-compatible store's endpoint, if given (else AWS)
 * @param pathStyle whether requests name the bucket in the path rather than the host name
 * @param suffixes the key endings read; empty means every key
 * @param pollInterval how long a followed source waits between two listings
 * @param concurrency how many objects are fetched and decoded at once
 * @param keys static credentials, if given (else the default credential chain)
 */
record S3Options(String bucket, String prefix, Optional<String> region, Optional<URI> endpoint, boolean pathStyle,
        List<String> suffixes, Duration pollInterval, int concurrency, Optional<StaticKeys> keys) {

    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";
    static final String PATH_STYLE = "path_style";
    static final String SUFFIX = "suffix";
    static final String POLL_SECONDS = "poll_seconds";
    static final String CONCURRENCY = "concurrency";
    static final String ACCESS_KEY = "access_key";
    static final String SECRET_KEY = "secret_key";

    static final List<String> DEFAULT_SUFFIXES = List.of(".jsonl", ".jsonl.gz");
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    static final int DEFAULT_CONCURRENCY = 4;
    static final int MAX_CONCURRENCY = 64;
    static final double MAX_POLL_SECONDS = 86_400;
    /** The suffix that reads every key under the prefix. */
    static final String EVERY_KEY = "*";

    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern REGION_NAME = Pattern.compile("[A-Za-z0-9-]+");

    /**
     * Static credentials. Their text never appears in {@link #toString()}.
     *
     * @param accessKeyId the access key id
     * @param secretAccessKey the secret access key
     */
    record StaticKeys(String accessKeyId, String secretAccessKey) {
        StaticKeys {
            Objects.requireNonNull(accessKeyId, "accessKeyId");
            Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        }

        @Override
        public String toString() {
            return "StaticKeys[****]";
        }
    }

    S3Options {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(prefix, "prefix");
        suffixes = List.copyOf(suffixes);
    }

    /**
     * Checks a location's target and options.
     *
     * @param target {@code bucket} or {@code bucket/prefix}
     * @param options the options, by the names in {@link S3SourceFactory#optionNames()}
     * @return the options
     * @throws SourceConfigurationException naming the option or the target, and what is allowed
     */
    static S3Options parse(String target, Map<String, String> options) {
        String t = target.strip();
        int slash = t.indexOf('/');
        String bucket = slash < 0 ? t : t.substring(0, slash);
        String prefix = slash < 0 ? "" : t.substring(slash + 1);
        if (bucket.isEmpty() || !BUCKET.matcher(bucket).matches()) {
            throw new SourceConfigurationException("an s3 location is s3://BUCKET/PREFIX, with a bucket name of "
                    + "letters, digits, '.', '-' and '_'; got s3://" + target);
        }
        Optional<String> region = Optional.ofNullable(options.get(REGION)).map(String::strip);
        if (region.isPresent() && !REGION_NAME.matcher(region.get()).matches()) {
            throw new SourceConfigurationException("option '" + REGION + "' must be a region name such as "
                    + "eu-west-1 (letters, digits and '-'); got '" + region.get() + "'");
        }
        Optional<URI> endpoint = Optional.ofNullable(options.get(ENDPOINT)).map(S3Options::endpoint);
        boolean pathStyle = Optional.ofNullable(options.get(PATH_STYLE)).map(v -> bool(PATH_STYLE, v))
                .orElse(endpoint.isPresent());
        List<String> suffixes = Optional.ofNullable(options.get(SUFFIX)).map(S3Options::suffixes)
                .orElse(DEFAULT_SUFFIXES);
        Duration poll = Optional.ofNullable(options.get(POLL_SECONDS)).map(S3Options::pollInterval)
                .orElse(DEFAULT_POLL_INTERVAL);
        int concurrency = Optional.ofNullable(options.get(CONCURRENCY)).map(S3Options::concurrency)
                .orElse(DEFAULT_CONCURRENCY);
        String access = options.get(ACCESS_KEY);
        String secret = options.get(SECRET_KEY);
        Optional<StaticKeys> keys = Optional.empty();
        if (access != null || secret != null) {
            if (access == null || secret == null || access.isBlank() || secret.isBlank()) {
                throw new SourceConfigurationException("options '" + ACCESS_KEY + "' and '" + SECRET_KEY
                        + "' go together: give both (static credentials) or neither (the default credential chain)");
            }
            keys = Optional.of(new StaticKeys(access.strip(), secret.strip()));
        }
        return new S3Options(bucket, prefix, region, endpoint, pathStyle, suffixes, poll, concurrency, keys);
    }

    private static URI endpoint(String value) {
        String v = value.strip();
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new SourceConfigurationException("option '" + ENDPOINT + "' must be an http:// or https:// URL of an "
                + "S3-compatible store, such as http://127.0.0.1:9000 (no user, query or fragment); got '" + v + "'");
    }

    private static boolean bool(String name, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new SourceConfigurationException("option '" + name + "' must be true or false; got '" + value + "'");
    }

    private static List<String> suffixes(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String s = part.strip();
            if (s.isEmpty()) {
                throw new SourceConfigurationException("option '" + SUFFIX + "' must be a comma-separated list of "
                        + "key endings such as .jsonl,.jsonl.gz, or * for every key; got '" + value + "'");
            }
            if (s.equals(EVERY_KEY)) {
                return List.of();
            }
            out.add(s);
        }
        return List.copyOf(new TreeSet<>(out));
    }

    private static Duration pollInterval(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds > 0) || seconds > MAX_POLL_SECONDS || Math.round(seconds * 1000) < 1) {
            throw new SourceConfigurationException("option '" + POLL_SECONDS + "' must be a number of seconds from "
                    + "0.001 to " + (long) MAX_POLL_SECONDS + ", e.g. 30; got '" + value + "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static int concurrency(String value) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= MAX_CONCURRENCY) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SourceConfigurationException("option '" + CONCURRENCY + "' must be a whole number of objects "
                + "from 1 to " + MAX_CONCURRENCY + "; got '" + value + "'");
    }

    /**
     * Whether a key is one this source reads: under the prefix (the listing sees to that), with one of the
     * suffixes, and not a folder marker.
     *
     * @param key an object's key
     * @return whether to read it
     */
    boolean reads(String key) {
        if (key.endsWith("/")) {
            return false;
        }
        if (suffixes.isEmpty()) {
            return true;
        }
        for (String s : suffixes) {
            if (key.endsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /** @return the location as shown in statuses: bucket, prefix and the store, never a credential */
    String display() {
        StringBuilder sb = new StringBuilder("s3://").append(bucket).append('/').append(prefix);
        char join = '?';
        if (region.isPresent()) {
            sb.append(join).append(REGION).append('=').append(region.get());
            join = '&';
        }
        if (endpoint.isPresent()) {
            sb.append(join).append(ENDPOINT).append('=').append(endpoint.get());
        }
        return sb.toString();
    }

    /** @return where objects are read from, for messages: {@code s3://bucket/key} */
    String objectName(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
