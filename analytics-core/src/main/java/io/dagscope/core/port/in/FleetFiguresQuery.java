package io.dagscope.core.port.in;

import io.dagscope.core.model.FleetFigures;
import java.time.Duration;

/**
 * Every figure monitoring needs, at once and as of now: for an exporter that reads them when it is scraped (nothing
 * is counted twice, so nothing can drift). Unscoped: it is for operators, not tenants.
 */
public interface FleetFiguresQuery {

    /**
     * The figures, read in one consistent view of the data.
     *
     * @param staleAfter an open run with no event for longer than this is stale
     * @return the figures
     */
    FleetFigures fleetFigures(Duration staleAfter);
}
