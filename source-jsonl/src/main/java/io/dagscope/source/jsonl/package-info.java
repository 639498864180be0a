/**
 * The {@code jsonl} event source: the orchestrator's logs as local files, one path or a glob of rotated files, plain
 * or gzip, read once ({@code follow = false}) or followed as they grow. {@link io.dagscope.source.jsonl.JsonlSourceFactory}
 * is the only public class; lines are split, decoded and counted by what every JSONL-reading source shares
 * ({@link io.dagscope.source.lines}).
 */
package io.dagscope.source.jsonl;
