package io.marketingbus.ops.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The console's signed-in browsers: a random 256-bit id per sign-in, forgotten after {@code idle} without a request
 * or at sign-out. Bounded: past {@code max} live sessions the least recently used one is dropped, so a script
 * signing in in a loop cannot fill the heap. In memory only: a restart signs everyone out.
 */
public final class ConsoleSessions {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final int max;

    public ConsoleSessions(Clock clock, Duration idle, int max) {
        this.clock = clock;
        this.idle = idle;
        this.max = max;
    }

    /** A new session's id (43 URL-safe characters). */
    public String create() {
        Instant now = clock.instant();
        lastSeen.entrySet().removeIf(e -> expired(e.getValue(), now));
        while (lastSeen.size() >= max) {
            lastSeen.entrySet().stream().min(Map.Entry.comparingByValue(Comparator.naturalOrder()))
                    .ifPresent(oldest -> lastSeen.remove(oldest.getKey(), oldest.getValue()));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        lastSeen.put(id, now);
        return id;
    }

    /** Whether the id is a live session; a live session's idle time starts again. */
    public boolean touch(String id) {
        if (id == null) {
            return false;
        }
        Instant now = clock.instant();
        Instant seen = lastSeen.get(id);
        if (seen == null) {
            return false;
        }
        if (expired(seen, now)) {
            lastSeen.remove(id, seen);
            return false;
        }
        lastSeen.replace(id, seen, now);
        return true;
    }

    public void remove(String id) {
        if (id != null) {
            lastSeen.remove(id);
        }
    }

    public int size() {
        return lastSeen.size();
    }

    public Duration idle() {
        return idle;
    }

    private boolean expired(Instant seen, Instant now) {
        return !seen.plus(idle).isAfter(now);
    }
}
