/**
 * The two {@link io.dagscope.core.port.out.HistoryStore history stores}: {@link
 * io.dagscope.core.history.HeapHistoryStore} (byte arrays on the heap) and {@link
 * io.dagscope.core.history.FileHistoryStore} (memory-mapped files, so that history costs no heap). The JDK alone.
 */
package io.dagscope.core.history;
