package io.dagscope.core.port.in;

import io.dagscope.core.model.SourceStatus;
import java.util.List;

/** What each configured source has read, and its health. */
public interface SourceStatusQuery {

    /** @return one status per source, in configuration order */
    List<SourceStatus> sources();
}
