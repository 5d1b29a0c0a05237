package io.marketingbus.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.support.RunningBus;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The served OpenAPI description of {@code /v1} is valid OpenAPI and says what the running bus does: every documented
 * operation is answered by a route (never 404 or 405), and every {@code /v1} route of either port is documented.
 */
class ApiDescriptionTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dataDir;
    static RunningBus bus;
    static OpenAPI api;

    @BeforeAll
    static void start() throws Exception {
        bus = RunningBus.start(dataDir, Map.of("bus.admin-token", "description-test-admin-token"));
        String served = bus.get("/v1/openapi.yaml").body();
        SwaggerParseResult parsed = new OpenAPIParser().readContents(served, null, null);
        assertThat(parsed.getMessages()).as("OpenAPI validation messages").isEmpty();
        api = parsed.getOpenAPI();
    }

    @AfterAll
    static void stop() {
        if (bus != null) {
            bus.close();
        }
    }

    @Test
    void theJsonFormIsTheSameDocumentAsTheYaml() throws Exception {
        HttpResponse<String> json = bus.get("/v1/openapi.json");
        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode fromJson = new ObjectMapper().readTree(json.body());
        assertThat(fromJson.path("openapi").asText()).startsWith("3.");
        assertThat(iterable(fromJson.path("paths").fieldNames())).containsExactlyInAnyOrderElementsOf(api.getPaths().keySet());
        // the shared responses (YAML anchors) are resolved in the JSON, not left as aliases
        assertThat(fromJson.at("/paths/~1v1~1t/post/responses/200/description").asText()).isNotBlank();
    }

    @Test
    void everyDocumentedOperationIsAnsweredByTheBus() throws Exception {
        for (var path : api.getPaths().entrySet()) {
            boolean management = path.getValue().getServers() != null && !path.getValue().getServers().isEmpty();
            for (var operation : path.getValue().readOperationsMap().entrySet()) {
                String method = operation.getKey().name();
                String url = (management ? bus.managementUrl("") : bus.url("")) + concrete(path.getKey());
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
                if (operation.getKey() == PathItem.HttpMethod.OPTIONS) {
                    request.header("Origin", "http://shop.example").header("Access-Control-Request-Method", "POST");
                }
                boolean withBody = operation.getKey() == PathItem.HttpMethod.POST;
                request.method(method, withBody ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
                if (withBody) {
                    request.header("Content-Type", "application/json");
                }
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                assertThat(status).as(method + " " + path.getKey() + " (no credentials)").isNotEqualTo(405);
                if (status == 404) {
                    // the route's own answer (an unknown id or key), not the router's "no such path"
                    assertThat(response.headers().firstValue("Content-Type").orElse(""))
                            .as(method + " " + path.getKey() + " answered 404 by the router: no route serves it")
                            .startsWith("application/json");
                }
                assertThat(operation.getValue().getResponses().keySet())
                        .as("documented answers of " + method + " " + path.getKey())
                        .contains(String.valueOf(status));
            }
        }
    }

    @Test
    void everyV1RouteOfEitherPortIsDocumented() {
        Set<String> documented = new TreeSet<>();
        api.getPaths().forEach((path, item) -> item.readOperationsMap().keySet()
                .forEach(method -> documented.add(method.name() + " " + path)));

        Set<String> served = new TreeSet<>();
        for (Route route : bus.context().getRoutes()) {
            if (route.getEndpoint() instanceof PlatformHttpEndpoint http && http.getPath().startsWith("/v1/")) {
                String methods = http.getHttpMethodRestrict() == null ? "GET,POST,PUT,DELETE,PATCH" : http.getHttpMethodRestrict();
                for (String method : methods.split(",")) {
                    served.add(method.trim().toUpperCase(Locale.ROOT) + " " + http.getPath());
                }
            }
        }
        VertxPlatformHttpRouter management = VertxPlatformHttpRouter.lookup(bus.context(),
                VertxPlatformHttpRouter.getRouterNameFromPort(Integer.parseInt(
                        URI.create(bus.managementUrl("/")).getPort() + "")));
        VertxPlatformHttpRouter webhooks = VertxPlatformHttpRouter.lookup(bus.context(),
                VertxPlatformHttpRouter.getRouterNameFromPort(URI.create(bus.url("/")).getPort()));
        for (VertxPlatformHttpRouter router : new VertxPlatformHttpRouter[] {management, webhooks}) {
            if (router == null) {
                continue;
            }
            for (io.vertx.ext.web.Route route : router.getRoutes()) {
                String path = route.getPath();
                if (path == null || !path.startsWith("/v1/") || route.methods() == null) {
                    continue;
                }
                // Vert.x writes path parameters as :name, OpenAPI as {name}
                String openApiPath = path.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
                route.methods().forEach(method -> served.add(method.name() + " " + openApiPath));
            }
        }
        assertThat(served).as("the bus serves /v1 routes").isNotEmpty();
        assertThat(documented).as("every /v1 route is in the OpenAPI description").containsAll(served);
    }

    /** A path with its parameters filled with a value no resource has. */
    private static String concrete(String path) {
        return path.replaceAll("\\{[^}]+}", "no-such-id");
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> iterator) {
        return () -> iterator;
    }
}
