/**
 * The S3 event source: JSONL objects under an S3 prefix, read with the JSONL source's decoder. Not implemented yet;
 * see the project's issue for the S3 source.
 */
package io.dagscope.source.s3;
