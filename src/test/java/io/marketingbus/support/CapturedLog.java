package io.marketingbus.support;

import java.io.StringWriter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * Every log line the test JVM writes while it is open, formatted by the bus's own console layout (log4j2.xml), so
 * a test can check what an operator's log would hold.
 */
public final class CapturedLog implements AutoCloseable {

    private final StringWriter lines = new StringWriter();
    private final Appender appender;
    private final LoggerContext context;

    public CapturedLog() {
        context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        Layout<?> layout = config.getAppender("console").getLayout();
        appender = WriterAppender.newBuilder().setName("captured-" + System.nanoTime()).setLayout(layout)
                .setTarget(lines).build();
        appender.start();
        // every logger of the bus's configuration is additive: the root sees every line that is written
        config.getRootLogger().addAppender(appender, null, null);
        context.updateLoggers();
    }

    public String text() {
        synchronized (lines) {
            return lines.toString();
        }
    }

    @Override
    public void close() {
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
