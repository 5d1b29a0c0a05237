package io.marketingbus.sandbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Serves {@code /sandbox/**}: platform API calls ({@code /sandbox/<platform>/<api path>}), readable state
 * ({@code GET /sandbox/<platform>/<collection>}), fault injection ({@code /sandbox/faults/<platform>}) and
 * {@code DELETE /sandbox/<platform>} to reset one.
 */
public final class SandboxHttp implements Processor {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, SandboxPlatform> platforms = new LinkedHashMap<>();
    private final SandboxFaults faults;

    public SandboxHttp(List<SandboxPlatform> platforms, SandboxFaults faults) {
        platforms.forEach(p -> this.platforms.put(p.name(), p));
        this.faults = faults;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String method = in.getHeader(Exchange.HTTP_METHOD, String.class);
        String path = in.getHeader(Exchange.HTTP_PATH, String.class);
        String rest = path.startsWith("/sandbox/") ? path.substring("/sandbox/".length()) : "";
        String[] parts = rest.split("/", 2);
        SandboxResponse response;
        if ("faults".equals(parts[0])) {
            response = faultsCall(method, parts.length > 1 ? parts[1] : "", in);
        } else if (platforms.containsKey(parts[0])) {
            response = platformCall(platforms.get(parts[0]), method, parts.length > 1 ? "/" + parts[1] : "", in);
        } else {
            response = message(404, "the sandbox serves " + platforms.keySet() + " and /sandbox/faults/<platform>");
        }
        write(in, response);
    }

    private SandboxResponse platformCall(SandboxPlatform platform, String method, String path, Message in)
            throws InterruptedException {
        if (path.isEmpty() || path.equals("/")) {
            if ("DELETE".equals(method)) {
                platform.reset();
                return SandboxResponse.empty(204);
            }
            return message(404, "try GET /sandbox/" + platform.name() + "/contacts");
        }
        if ("GET".equals(method) && path.indexOf('/', 1) < 0) {
            JsonNode state = platform.state(path.substring(1));
            if (state != null) {
                return SandboxResponse.json(200, state);
            }
        }
        SandboxResponse fault = faults.apply(platform.name());
        if (fault != null) {
            return fault;
        }
        return platform.handle(new SandboxRequest(method, path, query(in), headers(in), body(in)));
    }

    private SandboxResponse faultsCall(String method, String platform, Message in) throws Exception {
        if (!platforms.containsKey(platform)) {
            return message(404, "no sandbox platform '" + platform + "'");
        }
        switch (method) {
            case "GET":
                return SandboxResponse.json(200, faults.describe(platform));
            case "DELETE":
                faults.clear(platform);
                return SandboxResponse.empty(204);
            case "POST":
            case "PUT":
                try {
                    faults.set(platform, mapper.readTree(body(in)));
                } catch (IllegalArgumentException | java.io.IOException e) {
                    return message(400, "fault must be JSON like {\"status\":503,\"times\":2,\"delayMs\":0,"
                            + "\"retryAfterSeconds\":1}: " + e.getMessage());
                }
                return SandboxResponse.json(200, faults.describe(platform));
            default:
                return message(405, "use GET, POST or DELETE");
        }
    }

    private SandboxResponse message(int status, String text) {
        ObjectNode node = mapper.createObjectNode();
        node.put("message", text);
        return SandboxResponse.json(status, node);
    }

    private static Map<String, String> query(Message in) {
        Map<String, String> query = new HashMap<>();
        String raw = in.getHeader(Exchange.HTTP_RAW_QUERY, String.class);
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static Map<String, String> headers(Message in) {
        Map<String, String> headers = new HashMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (v != null && !k.startsWith("Camel")) {
                headers.put(k.toLowerCase(Locale.ROOT), String.valueOf(v));
            }
        });
        return headers;
    }

    private static byte[] body(Message in) {
        if (in.getBody() instanceof Map<?, ?> form) {
            // platform-http hands a form body (a token endpoint's) over as its fields: encoded again as sent
            StringBuilder encoded = new StringBuilder();
            form.forEach((name, values) -> {
                for (Object value : values instanceof java.util.Collection<?> list ? list : java.util.List.of(values)) {
                    encoded.append(encoded.length() == 0 ? "" : "&")
                            .append(java.net.URLEncoder.encode(String.valueOf(name), StandardCharsets.UTF_8)).append('=')
                            .append(java.net.URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
                }
            });
            return encoded.toString().getBytes(StandardCharsets.UTF_8);
        }
        byte[] body = in.getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    private static void write(Message out, SandboxResponse response) {
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        response.headers().forEach(out::setHeader);
        out.setBody(response.body().length == 0 ? null : response.body());
    }
}
