package io.marketingbus.api.stream;

import java.util.ArrayDeque;

/**
 * One subscriber's frames waiting for its socket, at most {@code capacity}: a frame offered to a full buffer pushes
 * the oldest out, and the frames lost so far are counted until the subscriber is told ({@link #takeDropped}).
 * Thread-safe; no method blocks, so the fan-out never waits for a subscriber.
 */
public final class FrameBuffer {

    private final int capacity;
    private final ArrayDeque<String> frames;
    private long dropped;

    public FrameBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a stream buffer holds at least one frame, not " + capacity);
        }
        this.capacity = capacity;
        this.frames = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Adds the frame; returns how many older frames it pushed out (0 or 1). */
    public synchronized int offer(String frame) {
        int pushedOut = 0;
        if (frames.size() == capacity) {
            frames.pollFirst();
            dropped++;
            pushedOut = 1;
        }
        frames.addLast(frame);
        return pushedOut;
    }

    /** The oldest frame waiting, or null. */
    public synchronized String poll() {
        return frames.pollFirst();
    }

    public synchronized int size() {
        return frames.size();
    }

    /** The frames dropped since the last call, and resets the count. */
    public synchronized long takeDropped() {
        long count = dropped;
        dropped = 0;
        return count;
    }

    /** Dropped frames not yet told. */
    public synchronized long dropped() {
        return dropped;
    }
}
