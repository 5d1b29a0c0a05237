package io.marketingbus.api.stream;

import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;

/**
 * One connected client of {@code /v1/stream}. Frames are offered from the bus's reader threads into its
 * {@link FrameBuffer} (never blocking) and written by its socket's event loop while the socket's write queue has
 * room; when the queue is full the buffer fills, drops its oldest frames, and once the socket drains the client first
 * gets {@code {"kind":"dropped","count":N}}.
 */
final class StreamSubscriber {

    interface Counters {
        void sent();

        void dropped(long count);
    }

    private final ServerWebSocket socket;
    private final Context context;
    private final StreamFilter filter;
    private final FrameBuffer buffer;
    private final StreamFrames frames;
    private final Counters counters;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private volatile boolean closed;
    private volatile long lastHeard = System.currentTimeMillis();

    StreamSubscriber(ServerWebSocket socket, Context context, StreamFilter filter, int bufferSize, StreamFrames frames,
                     Counters counters) {
        this.socket = socket;
        this.context = context;
        this.filter = filter;
        this.buffer = new FrameBuffer(bufferSize);
        this.frames = frames;
        this.counters = counters;
    }

    /** From any thread; returns at once. */
    void offer(JsonNode frame, String text) {
        if (closed || !filter.matches(frame)) {
            return;
        }
        int pushedOut = buffer.offer(text);
        if (pushedOut > 0) {
            counters.dropped(pushedOut);
        }
        if (drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                drainScheduled.set(false);
                drain();
            });
        }
    }

    /** On the socket's event loop: writes what the write queue takes. */
    void drain() {
        if (closed) {
            return;
        }
        while (!socket.writeQueueFull()) {
            long dropped = buffer.takeDropped();
            if (dropped > 0) {
                socket.writeTextMessage(frames.dropped(dropped));
                continue;
            }
            String next = buffer.poll();
            if (next == null) {
                return;
            }
            socket.writeTextMessage(next);
            counters.sent();
        }
        socket.drainHandler(v -> drain());
    }

    /** Any frame or pong from the client shows it is alive. */
    void heard() {
        lastHeard = System.currentTimeMillis();
    }

    long lastHeard() {
        return lastHeard;
    }

    void closed() {
        closed = true;
    }

    boolean isClosed() {
        return closed;
    }

    ServerWebSocket socket() {
        return socket;
    }

    Context context() {
        return context;
    }
}
