package io.marketingbus.platform.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.marketingbus.delivery.DeliveryRetryPolicy;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

/**
 * camel-whatsapp 4.18 completes a call only on an answer: without one (a refused connection, a server that never
 * answers) the client must still hand back an answer, which the connector reads as the I/O error it was.
 */
class WhatsAppHttpClientTest {

    final WhatsAppHttpClient client = new WhatsAppHttpClient(Duration.ofSeconds(2), Duration.ofMillis(500));

    HttpResponse<String> call(URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRefusedConnectionIsAnAnswerTheConnectorReadsAsARetriedIoError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        HttpResponse<String> none = call(URI.create("http://127.0.0.1:" + port + "/v25.0/1/messages"));
        assertThat(none.statusCode()).isEqualTo(WhatsAppHttpClient.IO_FAILURE_STATUS);
        Exception failure = WhatsAppConnector.failure(new RuntimeCamelException(
                none.uri() + " responded: " + none.statusCode() + " and body: " + none.body()));
        assertThat(failure).isInstanceOf(java.io.IOException.class);
        assertThat(DeliveryRetryPolicy.isTransient(failure)).isTrue();
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            HttpResponse<String> none = call(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v25.0/1/messages"));
            assertThat(none.statusCode()).isEqualTo(WhatsAppHttpClient.IO_FAILURE_STATUS);
            assertThat(none.body()).contains("Timeout");
        }
    }
}
