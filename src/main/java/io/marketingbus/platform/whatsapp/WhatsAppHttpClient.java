package io.marketingbus.platform.whatsapp;

import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * The HTTP client camel-whatsapp 4.18 sends with ({@code httpClient=#WhatsAppHttpClient}). Its producer completes
 * the exchange only when an answer arrives: a refused connection or a timeout would leave the delivery waiting
 * forever. This client gives every call a timeout and turns an I/O failure into an answer the producer can hand
 * back, status {@value #IO_FAILURE_STATUS} with the failure in the body, which {@link WhatsAppConnector} turns
 * into the {@link IOException} it was (retried, counted by the breaker).
 */
public final class WhatsAppHttpClient extends HttpClient {

    /** Not an HTTP status any server sends; marks a call that got no answer. */
    static final int IO_FAILURE_STATUS = 599;
    static final String IO_FAILURE_MARK = "marketing-bus: no answer: ";

    private final HttpClient delegate;
    private final Duration timeout;

    public WhatsAppHttpClient(Duration connectTimeout, Duration timeout) {
        this.delegate = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
        this.timeout = timeout;
    }

    private HttpRequest withTimeout(HttpRequest request) {
        return HttpRequest.newBuilder(request, (n, v) -> true).timeout(timeout).build();
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        return delegate.send(withTimeout(request), handler);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest timed = withTimeout(request);
        return delegate.sendAsync(timed, handler).exceptionally(failure -> {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            String text = IO_FAILURE_MARK + cause.getClass().getSimpleName() + " "
                    + String.valueOf(cause.getMessage());
            return (HttpResponse<T>) new NoAnswer(timed, text);
        });
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> push) {
        return sendAsync(request, handler);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    /** The stand-in answer for a call that got none. */
    private record NoAnswer(HttpRequest request, String body) implements HttpResponse<String> {
        @Override
        public int statusCode() {
            return IO_FAILURE_STATUS;
        }

        @Override
        public Optional<HttpResponse<String>> previousResponse() {
            return Optional.empty();
        }

        @Override
        public HttpHeaders headers() {
            return HttpHeaders.of(Map.of(), (n, v) -> true);
        }

        @Override
        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        @Override
        public URI uri() {
            return request.uri();
        }

        @Override
        public Version version() {
            return Version.HTTP_1_1;
        }
    }
}
