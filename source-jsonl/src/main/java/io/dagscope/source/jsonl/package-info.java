/**
 * The {@code jsonl} event source: the orchestrator's logs as local files, one path or a glob of rotated files, plain
 * or gzip, read once ({@code follow = false}) or followed as they grow. {@link io.dagscope.source.jsonl.JsonlSourceFactory}
 * is the only public class; the line decoder it shares with other sources is in
 * {@link io.dagscope.source.jsonl.decode}.
 */
package io.dagscope.source.jsonl;
