package io.marketingbus.platform.zapier;

import java.util.List;

import io.marketingbus.api.hooks.Hook;
import io.marketingbus.api.hooks.HookDeliveries;
import io.marketingbus.api.hooks.HookSubscriptions;
import io.marketingbus.event.EventCodec;

/** Zapier's hooks: {@code zapier.hooks} and the REST-hook subscriptions (routes/flows/hooks.camel.yaml). */
public final class ZapierHooks extends HookDeliveries {

    /** Zapier's raw catch hooks take at most 2 MB (docs/platforms/zapier.md §1). */
    static final int MAX_BODY = 2 * 1024 * 1024;

    public ZapierHooks(List<Hook> configured, HookSubscriptions subscriptions, EventCodec codec) {
        super("zapier", configured, subscriptions, codec, MAX_BODY);
    }
}
