package io.marketingbus.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/**
 * Both shipped log layouts (log4j2.xml for text, log4j2-json.xml for BUS_LOG_FORMAT=json) write a message or an
 * exception carrying an e-mail, line breaks and a terminal escape as one masked, escaped entry.
 */
class LogLayoutsTest {

    static final String HOSTILE = "rejected form field 'x\u001b[31m' of lucia.martin@example.com\n12:00:00.000 INFO forged line\r\u0000";

    LogEvent event(Throwable thrown) {
        return Log4jLogEvent.newBuilder().setLoggerName("io.marketingbus.Test").setLevel(Level.WARN)
                .setMessage(new SimpleMessage(HOSTILE)).setThrown(thrown).setThreadName("t").build();
    }

    String format(String configFile, LogEvent event) throws Exception {
        LoggerContext context = new LoggerContext("layout-test-" + configFile);
        ConfigurationSource source = ConfigurationSource.fromResource(configFile, getClass().getClassLoader());
        Configuration config = ConfigurationFactory.getInstance().getConfiguration(context, source);
        config.initialize();
        try {
            Layout<?> layout = config.getAppender("console").getLayout();
            return new String(layout.toByteArray(event), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            context.stop();
        }
    }

    static void assertSafe(String text) {
        assertThat(text).doesNotContain("lucia.martin@example.com").doesNotContain("\u001b").doesNotContain("\u0000")
                .doesNotContain("\r").contains("l***@example.com");
    }

    @Test
    void theTextLayoutWritesAHostileMessageAsOneMaskedEscapedLine() throws Exception {
        String text = format("log4j2.xml", event(null));
        assertSafe(text);
        assertThat(text.lines().toList()).hasSize(1);
        assertThat(text).contains("x\\u001b[31m").contains("\\n12:00:00.000 INFO forged line\\r\\u0000");
    }

    @Test
    void theTextLayoutKeepsStackTracesReadableButTheirMessagesSafe() throws Exception {
        Exception thrown = new IllegalStateException("wrapper", new IllegalArgumentException(HOSTILE));
        String text = format("log4j2.xml", event(thrown));
        assertSafe(text);
        List<String> lines = text.lines().toList();
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: wrapper");
        assertThat(lines).anyMatch(l -> l.startsWith("\tat io.marketingbus.ops.LogLayoutsTest"));
        assertThat(lines).anyMatch(l -> l.startsWith("Caused by: java.lang.IllegalArgumentException: rejected form field"));
        assertThat(lines.stream().skip(1)).allMatch(l -> l.startsWith("\tat ") || l.startsWith("java.lang.")
                || l.startsWith("Caused by: "));
    }

    @Test
    void theJsonLayoutWritesAHostileMessageAsOneMaskedEscapedObject() throws Exception {
        String json = format("log4j2-json.xml", event(new IllegalArgumentException("x\u001b[31m\ny")));
        assertThat(json.strip().lines().toList()).hasSize(1);
        assertThat(json).doesNotContain("\u001b").doesNotContain("lucia.martin@example.com");
        JsonNode line = new ObjectMapper().readTree(json);
        assertThat(line.get("message").asText()).contains("l***@example.com").contains("x\\u001b[31m")
                .doesNotContain("\n");
        assertThat(line.get("error.type").asText()).isEqualTo("java.lang.IllegalArgumentException");
    }
}
