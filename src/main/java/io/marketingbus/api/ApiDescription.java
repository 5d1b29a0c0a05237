package io.marketingbus.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI description of {@code /v1} ({@code openapi/marketing-bus-v1.yaml} in the jar), served as written and as
 * JSON. Read once: the document is part of the build, like the routes it describes ({@code ApiDescriptionTest} keeps
 * the two in step).
 */
public final class ApiDescription {

    public static final String RESOURCE = "openapi/marketing-bus-v1.yaml";

    private final byte[] yaml;
    private final byte[] json;

    public ApiDescription() {
        try (InputStream in = ApiDescription.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // SnakeYAML resolves the document's anchors (shared responses), which a YAML-to-JSON token copy would not
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(new String(yaml, StandardCharsets.UTF_8));
        try {
            json = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /v1/openapi.yaml} */
    public void yaml(Exchange exchange) {
        answer(exchange, yaml, "application/yaml");
    }

    /** {@code GET /v1/openapi.json} */
    public void json(Exchange exchange) {
        answer(exchange, json, "application/json");
    }

    private static void answer(Exchange exchange, byte[] body, String contentType) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
    }
}
