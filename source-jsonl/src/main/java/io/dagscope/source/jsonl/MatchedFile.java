package io.dagscope.source.jsonl;

import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

/**
 * A regular file a location matches, as listed.
 *
 * @param path its path
 * @param fileKey its identity ({@link java.nio.file.attribute.BasicFileAttributes#fileKey()}: device and inode on
 *     Unix), or null where the file system has none
 * @param size its size when listed
 * @param lastModified its modification time when listed
 */
record MatchedFile(Path path, Object fileKey, long size, FileTime lastModified) {
}
