package io.dagscope.source.s3;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The store behind the AWS SDK for Java v2: S3 itself or any S3-compatible store at an endpoint.
 *
 * <p>Requests go through the JDK's {@code HttpURLConnection} (the SDK's url-connection client; no Netty, no Apache
 * client). The SDK retries each request with jittered exponential backoff on throttling ({@code SlowDown},
 * {@code 503}), other 5xx answers, and I/O failures such as a reset connection, up to {@value #MAX_ATTEMPTS}
 * attempts. Checksums are computed and checked only where the protocol requires them, which S3-compatible stores
 * handle alike.
 */
final class AwsObjectStore implements ObjectStore {

    /** Attempts per request, the first included. */
    static final int MAX_ATTEMPTS = 5;
    /** The most keys a listing page holds, as on S3. */
    static final int DEFAULT_PAGE_SIZE = 1000;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** The region an endpoint's store is addressed with when none is given; most such stores ignore it. */
    private static final Region DEFAULT_REGION = Region.US_EAST_1;

    private final S3Options options;
    private final int pageSize;
    private final AwsCredentialsProvider credentials;
    private final S3Client client;

    /**
     * Builds the client; makes no request yet, though finding the region may ask the environment.
     *
     * @param options what to reach and how
     * @param pageSize keys per listing page (at most 1000 on S3)
     */
    AwsObjectStore(S3Options options, int pageSize) {
        this.options = options;
        this.pageSize = pageSize;
        this.credentials = options.keys()
                .<AwsCredentialsProvider>map(k -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(k.accessKeyId(), k.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(READ_TIMEOUT))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                // a store that throttles for a while must not switch retries off for good
                                .circuitBreakerEnabled(false)
                                .build())
                        .build())
                .forcePathStyle(options.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (options.endpoint().isPresent()) {
            builder.endpointOverride(options.endpoint().get())
                    .region(options.region().map(Region::of).orElse(DEFAULT_REGION));
        } else if (options.region().isPresent()) {
            builder.region(Region.of(options.region().get()));
        } else {
            // no region given: the environment's, else any, and follow the bucket to its own region
            builder.region(environmentRegion()).crossRegionAccessEnabled(true);
        }
        try {
            this.client = builder.build();
        } catch (RuntimeException e) {
            closeCredentials();
            throw e;
        }
    }

    private static Region environmentRegion() {
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkException e) {
            return DEFAULT_REGION;
        }
    }

    @Override
    public List<StoredObject> list(String prefix) throws StoreException {
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(options.bucket()).prefix(prefix)
                .maxKeys(pageSize).build();
        List<StoredObject> out = new ArrayList<>();
        try {
            client.listObjectsV2Paginator(request).stream().forEach(page -> {
                for (S3Object o : page.contents()) {
                    out.add(new StoredObject(o.key(), ObjectVersion.of(o.eTag(), o.size(), o.lastModified())));
                }
            });
        } catch (RuntimeException e) {
            throw failure("cannot list " + options.objectName(prefix), e);
        }
        return out;
    }

    @Override
    public Fetched get(String key, long from, ObjectVersion expected) throws StoreException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(options.bucket()).key(key);
        if (from > 0) {
            request.range("bytes=" + from + "-");
        }
        if (expected != null) {
            if (expected.etag().isPresent()) {
                request.ifMatch("\"" + expected.etag().get() + "\"");
            } else if (expected.lastModified().isPresent()) {
                request.ifUnmodifiedSince(expected.lastModified().get());
            }
        }
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = client.getObject(request.build());
        } catch (RuntimeException e) {
            throw failure("cannot read " + options.objectName(key), e);
        }
        GetObjectResponse r = response.response();
        long length = r.contentLength() == null ? -1 : r.contentLength();
        ObjectVersion version = ObjectVersion.of(r.eTag(), totalSize(r.contentRange(), from, length),
                r.lastModified());
        return new Fetched(new BodyStream(response, length, options.objectName(key)), version);
    }

    /** The whole object's size: the total of a {@code Content-Range}, else the offset plus the length. */
    private static long totalSize(String contentRange, long from, long length) {
        if (contentRange != null) {
            int slash = contentRange.lastIndexOf('/');
            if (slash >= 0) {
                try {
                    return Long.parseLong(contentRange.substring(slash + 1).strip());
                } catch (NumberFormatException e) {
                    // "*": unknown total
                }
            }
        }
        return length < 0 ? -1 : from + length;
    }

    /** Classifies a failed request; anything but an answer from the store counts as the store being unreachable. */
    private StoreException failure(String what, RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            int status = service.statusCode();
            AwsErrorDetails details = service.awsErrorDetails();
            String code = details == null || details.errorCode() == null ? "" : details.errorCode();
            String message = details == null || details.errorMessage() == null ? "" : details.errorMessage();
            if (status == 412 || status == 416) {
                return new StoreException(StoreException.Kind.CHANGED, what + ": the object changed since it was "
                        + "listed (HTTP " + status + ")", e);
            }
            if (status == 404 && code.equals("NoSuchKey")) {
                return new StoreException(StoreException.Kind.MISSING, what + ": no such key", e);
            }
            String reason;
            if (code.equals("NoSuchBucket")) {
                reason = "no such bucket '" + options.bucket() + "'";
            } else if (status == 403 || status == 401) {
                reason = "access denied: check the credentials and that they may s3:ListBucket and s3:GetObject";
            } else if (status == 301 || code.equals("PermanentRedirect")) {
                reason = "the bucket is in another region: set the region option";
            } else if (status == 503 || code.equals("SlowDown")) {
                reason = "the store is throttling or unavailable";
            } else {
                reason = "the store answered an error";
            }
            String detail = "HTTP " + status + (code.isEmpty() ? "" : " " + code)
                    + (message.isEmpty() ? "" : ": " + message);
            return new StoreException(StoreException.Kind.UNAVAILABLE, scrub(what + ": " + reason + " (" + detail
                    + ")"), e);
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String where = options.endpoint().map(URI::toString).orElse("S3");
        return new StoreException(StoreException.Kind.UNAVAILABLE, scrub(what + ": cannot reach " + where + " ("
                + message + ")"), e);
    }

    /** Removes the static credentials from a message, should a store ever echo them. */
    private String scrub(String message) {
        String out = message;
        if (options.keys().isPresent()) {
            out = out.replace(options.keys().get().secretAccessKey(), "****")
                    .replace(options.keys().get().accessKeyId(), "****");
        }
        return out;
    }

    @Override
    public void close() {
        try {
            client.close();
        } finally {
            closeCredentials();
        }
    }

    private void closeCredentials() {
        if (credentials instanceof SdkAutoCloseable c) {
            c.close();
        }
    }

    /**
     * An object's body: failures while streaming it become {@link StoreReadException}s, a body shorter than its
     * {@code Content-Length} is one too, and closing it before its end aborts the connection rather than reading
     * the rest.
     */
    private static final class BodyStream extends InputStream {

        private final ResponseInputStream<GetObjectResponse> response;
        private final long expected;
        private final String name;
        private long read;
        private boolean ended;

        BodyStream(ResponseInputStream<GetObjectResponse> response, long expected, String name) {
            this.response = response;
            this.expected = expected;
            this.name = name;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            int n;
            try {
                n = response.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw new StoreReadException("reading " + name + " failed after " + read + " bytes ("
                        + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()) + ")", e);
            }
            if (n < 0) {
                if (expected >= 0 && read < expected) {
                    throw new StoreReadException("the connection ended after " + read + " of " + expected
                            + " bytes of " + name, null);
                }
                ended = true;
                return -1;
            }
            read += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            if (!ended) {
                response.abort();
            }
            try {
                response.close();
            } catch (IOException | RuntimeException e) {
                // the connection is dropped either way
            }
        }
    }
}
