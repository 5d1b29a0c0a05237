package io.marketingbus.api.tracking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (source, messageId) pairs this instance recently put on Kafka (filled only after Kafka acknowledged them), so
 * a sender's retry of a call it did not see answered is answered 200 without a second record. Bounded, oldest
 * forgotten first; per instance: a retry that lands on another instance is published again, with the same event id,
 * and the deliveries' delivered-ids drop it there (docs/api.md, "Duplicates").
 */
public final class RecentMessageIds {

    private final Map<String, Boolean> seen;

    public RecentMessageIds(int capacity) {
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized boolean contains(String source, String messageId) {
        return seen.containsKey(source + "|" + messageId);
    }

    public synchronized void add(String source, String messageId) {
        seen.put(source + "|" + messageId, Boolean.TRUE);
    }
}
