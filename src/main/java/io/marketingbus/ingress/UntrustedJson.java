package io.marketingbus.ingress;

import java.io.IOException;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON from the outside world, read defensively: duplicate keys, nesting deeper than any platform sends, absurd
 * numbers and strings, and invalid UTF-8 are refused with a 400 before anything looks at the content.
 */
public final class UntrustedJson {

    static final int MAX_DEPTH = 32;
    static final int MAX_NUMBER_LENGTH = 40;
    static final int MAX_STRING_LENGTH = 64 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                            .maxNumberLength(MAX_NUMBER_LENGTH).maxStringLength(MAX_STRING_LENGTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private UntrustedJson() {
    }

    /** @throws WebhookRejectedException 400 naming the problem, kept as an ingress dead letter */
    public static JsonNode parse(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null) {
                throw new WebhookRejectedException(400, "empty body", true);
            }
            return node;
        } catch (IOException e) {
            throw new WebhookRejectedException(400, "body is not acceptable JSON: " + reason(e), true);
        }
    }

    private static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Duplicate field")) {
            return "a key is given twice";
        }
        if (message.contains("nesting depth")) {
            return "nested deeper than " + MAX_DEPTH + " levels";
        }
        if (message.contains("Number value length") || message.contains("String value length")) {
            return "a value is too long";
        }
        if (message.contains("UTF-8") || message.contains("UTF8")) {
            return "invalid UTF-8";
        }
        return "malformed";
    }
}
