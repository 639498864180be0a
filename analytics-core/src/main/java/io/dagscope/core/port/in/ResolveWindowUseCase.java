package io.dagscope.core.port.in;

import io.dagscope.core.time.TimeWindow;

/** Turns a requested window into the exact whole-minute window the answers are computed over. */
public interface ResolveWindowUseCase {

    /**
     * Resolves a window with the engine's clock and default length.
     *
     * @param request what the caller asked for
     * @return the window
     */
    TimeWindow resolveWindow(WindowRequest request);
}
