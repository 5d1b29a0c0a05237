package io.marketingbus.platform.slack;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * De-duplication of notifications: the first of a key is posted, repeats within {@code window} are counted instead
 * (docs/platforms/slack.md §6). Once the window has passed, the count is reported ({@link #due}) or carried by the
 * next post of the key ({@link #admit}), so an outage that repeats an alert every few seconds posts it once per
 * window, with how often it happened. In memory, per instance.
 */
public final class SlackRepeats {

    /** A key's last post and the repeats held back since. */
    record Entry(long postedAt, int suppressed, String title, String details) {
    }

    /** Repeats held back, to report once the window has passed. */
    public record Summary(String key, int suppressed, long since, String title, String details) {
    }

    private final Duration window;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    public SlackRepeats(Duration window, Clock clock) {
        this.window = window;
        this.clock = clock;
    }

    /**
     * Whether a notification of this key is posted now.
     *
     * @return -1 when it is a repeat within the window (counted, not posted); otherwise the repeats held back since
     * the key's last post (0 for a first one)
     */
    public synchronized int admit(String key, String title, String details) {
        long now = clock.millis();
        Entry entry = entries.get(key);
        if (entry != null && now - entry.postedAt() < window.toMillis()) {
            entries.put(key, new Entry(entry.postedAt(), entry.suppressed() + 1, title, details));
            return -1;
        }
        entries.put(key, new Entry(now, 0, title, details));
        return entry == null ? 0 : entry.suppressed();
    }

    /** For {@code simple}: true the first time a key is seen within the window (a deal announced once per state). */
    public boolean first(String key) {
        return admit(key, null, null) >= 0;
    }

    /** Keys whose window has passed with repeats held back: their counts, reset as if just posted. */
    public synchronized List<Summary> due() {
        long now = clock.millis();
        List<Summary> due = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry entry = e.getValue();
            if (entry.suppressed() > 0 && now - entry.postedAt() >= window.toMillis()) {
                due.add(new Summary(e.getKey(), entry.suppressed(), entry.postedAt(), entry.title(), entry.details()));
                e.setValue(new Entry(now, 0, entry.title(), entry.details()));
            }
        }
        // keys without repeats, long past their window, are forgotten
        entries.entrySet().removeIf(e -> e.getValue().suppressed() == 0 && now - e.getValue().postedAt() > 2 * window.toMillis());
        return due;
    }
}
