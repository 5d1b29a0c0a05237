package io.marketingbus.ops;

import java.util.List;

import io.marketingbus.event.Identifiers;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.core.pattern.ConverterKeys;
import org.apache.logging.log4j.core.pattern.LogEventPatternConverter;
import org.apache.logging.log4j.core.pattern.PatternConverter;
import org.apache.logging.log4j.core.pattern.PatternFormatter;
import org.apache.logging.log4j.core.pattern.PatternParser;

/**
 * {@code %safe{pattern}} in a Log4j layout: what the inner pattern writes, with every e-mail address masked and every
 * control character escaped ({@code \n}, {@code \u001b}), so a log line is one line and holds no personal data or
 * terminal escape, whatever a sender put in a field that ends up in a message.
 */
@Plugin(name = "SafeTextConverter", category = PatternConverter.CATEGORY)
@ConverterKeys({"safe"})
public final class SafeTextConverter extends LogEventPatternConverter {

    private final List<PatternFormatter> formatters;

    private SafeTextConverter(List<PatternFormatter> formatters) {
        super("safe", "safe");
        this.formatters = formatters;
    }

    public static SafeTextConverter newInstance(Configuration config, String[] options) {
        if (options == null || options.length != 1) {
            throw new IllegalArgumentException("%safe needs one pattern: %safe{%m}");
        }
        PatternParser parser = PatternLayout.createPatternParser(config);
        return new SafeTextConverter(parser.parse(options[0]));
    }

    @Override
    public void format(LogEvent event, StringBuilder toAppendTo) {
        StringBuilder inner = new StringBuilder();
        for (PatternFormatter formatter : formatters) {
            formatter.format(event, inner);
        }
        toAppendTo.append(safe(inner.toString()));
    }

    /** E-mails masked, control characters escaped. */
    public static String safe(String text) {
        if (text == null) {
            return null;
        }
        String masked = Identifiers.maskEmailsIn(text);
        StringBuilder out = null;
        for (int i = 0; i < masked.length(); i++) {
            char c = masked.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                if (out == null) {
                    out = new StringBuilder(masked.length() + 16).append(masked, 0, i);
                }
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> out.append(String.format("\\u%04x", (int) c));
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? masked : out.toString();
    }
}
