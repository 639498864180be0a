package io.dagscope.server.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that writes through {@link LogOutput}; which levels it writes is decided there, line by line. */
final class LineLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    LineLogger(String name) {
        this.name = name;
    }

    @Override
    public boolean isTraceEnabled() {
        return LogOutput.writes(name, Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return LogOutput.writes(name, Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return LogOutput.writes(name, Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return LogOutput.writes(name, Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return LogOutput.writes(name, Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
            Throwable failure) {
        LogOutput.write(name, level, MessageFormatter.basicArrayFormat(pattern, arguments), failure);
    }
}
