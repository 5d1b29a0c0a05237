package io.marketingbus.ops;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.ThrowablePatternConverter;

/**
 * {@code %safeEx} in a Log4j layout: a logged exception as the usual stack trace, one frame per line, but with each
 * exception's message made safe ({@link SafeTextConverter#safe}): exception messages quote input (a form value, a
 * platform's error body), and must neither leak an e-mail nor inject a line.
 */
@Plugin(name = "SafeThrowableConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"safeEx"})
public final class SafeThrowableConverter extends ThrowablePatternConverter {

    private SafeThrowableConverter(Configuration config, String[] options) {
        super("safeEx", "throwable", options, config);
    }

    public static SafeThrowableConverter newInstance(Configuration config, String[] options) {
        return new SafeThrowableConverter(config, options);
    }

    @Override
    public void format(LogEvent event, StringBuilder out) {
        Throwable thrown = event.getThrown();
        if (thrown != null) {
            write(thrown, "", out, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
    }

    private static void write(Throwable t, String prefix, StringBuilder out, Set<Throwable> seen) {
        if (!seen.add(t)) {
            out.append(prefix).append("[circular reference]").append(System.lineSeparator());
            return;
        }
        out.append(prefix).append(t.getClass().getName());
        String message = t.getMessage();
        if (message != null) {
            out.append(": ").append(SafeTextConverter.safe(message));
        }
        out.append(System.lineSeparator());
        for (StackTraceElement frame : t.getStackTrace()) {
            out.append("\tat ").append(frame).append(System.lineSeparator());
        }
        for (Throwable suppressed : t.getSuppressed()) {
            write(suppressed, "Suppressed: ", out, seen);
        }
        if (t.getCause() != null) {
            write(t.getCause(), "Caused by: ", out, seen);
        }
    }

    @Override
    public boolean handlesThrowable() {
        return true;
    }
}
