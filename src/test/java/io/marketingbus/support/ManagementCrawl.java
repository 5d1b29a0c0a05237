package io.marketingbus.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Everything an unauthenticated client can read on the management port, as one text: Jolokia {@code search *:*},
 * {@code list}, a {@code read} of every attribute of every MBean, the route dumps (with and without resolved
 * placeholders, whether the policy answers them or not), health at full exposure, metrics and info.
 */
public final class ManagementCrawl {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @param text every answer, concatenated; {@code mbeans}: how many MBeans were read; {@code attributes}: values read */
    public record Result(String text, int mbeans, int attributes) {
    }

    private ManagementCrawl() {
    }

    /** @param base the management server, e.g. {@code http://127.0.0.1:9876} */
    public static Result crawl(String base) throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder();
        String jolokia = base + "/observe/jolokia/";
        JsonNode search = MAPPER.readTree(post(jolokia, "{\"type\":\"search\",\"mbean\":\"*:*\"}"));
        text.append(search);
        List<String> names = new ArrayList<>();
        search.get("value").forEach(n -> names.add(n.asText()));
        text.append(post(jolokia, "{\"type\":\"list\"}"));
        text.append(post(jolokia, "{\"type\":\"version\"}"));

        int attributes = 0;
        for (int from = 0; from < names.size(); from += 50) {
            ArrayNode bulk = MAPPER.createArrayNode();
            for (String name : names.subList(from, Math.min(names.size(), from + 50))) {
                ObjectNode read = bulk.addObject().put("type", "read").put("mbean", name);
                read.putObject("config").put("ignoreErrors", true).put("serializeException", true);
            }
            String answer = post(jolokia, bulk.toString());
            text.append(answer);
            for (JsonNode response : MAPPER.readTree(answer)) {
                JsonNode value = response.get("value");
                attributes += value != null && value.isObject() ? value.size() : 0;
            }
        }
        // every MBean at once, as a pattern read does it
        text.append(post(jolokia, "{\"type\":\"read\",\"mbean\":\"*:*\",\"config\":{\"ignoreErrors\":true}}"));
        // the route dumps, including the variants that resolve placeholders
        for (String name : names) {
            if (name.startsWith("org.apache.camel:") && (name.contains("type=context") || name.contains("type=routes"))) {
                String op = name.contains("type=context") ? "dumpRoutesAs" : "dumpRouteAs";
                for (String operation : List.of(op + "Xml()", op + "Xml(boolean)", op + "Xml(boolean,boolean)",
                        op + "Xml(boolean,boolean,boolean)", op + "Yaml()", op + "Yaml(boolean)", op + "Yaml(boolean,boolean)",
                        op + "Yaml(boolean,boolean,boolean,boolean)")) {
                    int args = operation.split(",").length - (operation.endsWith("()") ? 1 : 0);
                    ObjectNode exec = MAPPER.createObjectNode().put("type", "exec").put("mbean", name)
                            .put("operation", operation);
                    ArrayNode arguments = exec.putArray("arguments");
                    for (int i = 0; i < args; i++) {
                        arguments.add(true);
                    }
                    text.append(post(jolokia, exec.toString()));
                }
            }
        }
        for (String path : List.of("/observe/health?exposureLevel=full", "/observe/health/ready", "/observe/health/live",
                "/observe/metrics", "/observe/info")) {
            text.append(get(base + path));
        }
        return new Result(text.toString(), names.size(), attributes);
    }

    public static String post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    public static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
