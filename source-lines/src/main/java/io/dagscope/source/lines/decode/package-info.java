/**
 * Turns one line of an orchestrator log into an event, an ignored event or a reason to skip it
 * (EVENTS.md, "Lines that are not events"). Knows nothing of files, so every source that reads JSONL lines, from
 * disk or from an object store, decodes them the same way: use
 * {@link io.dagscope.source.lines.decode.JsonlLineDecoder} (through {@link io.dagscope.source.lines.LineDecoding}).
 */
package io.dagscope.source.lines.decode;
