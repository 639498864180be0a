/**
 * The {@code s3} event source: the orchestrator's logs as objects under a prefix of an S3 bucket or of any
 * S3-compatible store, plain or gzip, read in key order, once or followed; their lines are split, decoded and counted
 * by what every JSONL-reading source shares ({@link io.dagscope.source.lines}).
 * {@link io.dagscope.source.s3.S3SourceFactory} is the only public class; it talks to the store through the AWS SDK
 * for Java v2 behind the package's own {@code ObjectStore} port.
 */
package io.dagscope.source.s3;
