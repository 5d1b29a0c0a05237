package io.marketingbus.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Where an event went, as an operator asks the management API ({@code /admin/events/<id>}, the sandbox admin token). */
public final class EventStory {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventStory() {
    }

    /** "<stage> <outcome>" per record ("resolver skipped", "loyalty delivered", ...); empty while the bus knows none. */
    public static List<String> of(RunningBus bus, String eventId) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(bus.managementUrl("/admin/events/" + URLEncoder.encode(eventId, StandardCharsets.UTF_8))))
                .header("Authorization", "Bearer sandbox-admin").build(), HttpResponse.BodyHandlers.ofString());
        List<String> steps = new ArrayList<>();
        if (answer.statusCode() == 200) {
            for (JsonNode record : MAPPER.readTree(answer.body()).path("records")) {
                steps.add(record.path("stage").asText() + " " + record.path("outcome").asText());
            }
        }
        return steps;
    }
}
