/**
 * What every source of the orchestrator's JSONL lines shares, wherever its bytes come from (files, objects):
 * {@link io.dagscope.source.lines.LineSplitter} cuts a stream into lines and moves a
 * {@link io.dagscope.source.lines.StreamPosition}; {@link io.dagscope.source.lines.LineDecoding} is the one step that
 * decodes a line (with {@link io.dagscope.source.lines.decode.JsonlLineDecoder}) and hands on what it is, to a
 * {@link io.dagscope.source.lines.Delivery} that counts it and hands its event to the sink at once, or to a
 * {@link io.dagscope.source.lines.DecodedBatch} decoded on another thread and delivered later in order.
 */
package io.dagscope.source.lines;
