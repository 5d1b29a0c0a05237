package io.marketingbus.delivery;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.event.CloudEvent;

/**
 * The event as nested maps for routing rules in the Simple language ({@code ${exchangeProperty.event[data][...]}}),
 * converted on first use: most destinations never read it, and converting every event cost a share of the CPU.
 */
final class EventMap extends AbstractMap<String, Object> {

    private final CloudEvent event;
    private final ObjectMapper mapper;
    private Map<String, Object> converted;

    EventMap(CloudEvent event, ObjectMapper mapper) {
        this.event = event;
        this.mapper = mapper;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> converted() {
        if (converted == null) {
            converted = mapper.convertValue(event, Map.class);
        }
        return converted;
    }

    @Override
    public Object get(Object key) {
        return converted().get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return converted().containsKey(key);
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return converted().entrySet();
    }
}
