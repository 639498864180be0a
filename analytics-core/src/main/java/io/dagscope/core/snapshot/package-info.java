/**
 * Snapshots of the engine's state and of where each source is ({@code docs/snapshots.md}): the versioned,
 * checksummed file format ({@link io.dagscope.core.snapshot.SnapshotFile}), written atomically and readable by its
 * owner only; a folder of them kept fresh while the sources are followed
 * ({@link io.dagscope.core.snapshot.SnapshotKeeper}). The JDK alone, so that a job that folds logs elsewhere can write
 * what the server reads.
 */
package io.dagscope.core.snapshot;
