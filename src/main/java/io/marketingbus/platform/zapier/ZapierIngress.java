package io.marketingbus.platform.zapier;

import java.time.Clock;
import java.util.Map;

import io.marketingbus.api.hooks.HookIngress;
import io.marketingbus.event.EventCodec;

/** {@code POST /webhooks/zapier/{source}}: a Zap's "Webhooks by Zapier" POST (routes/ingress/zapier-webhook.camel.yaml). */
public final class ZapierIngress extends HookIngress {

    /** The docs' dev secret of source {@code dev}: refused in prod. */
    public static final String DEV_SECRET = "zapier-dev-secret";

    public ZapierIngress(Map<String, String> secrets, EventCodec codec, Clock clock) {
        super("zapier", "zap", secrets, codec, clock);
    }
}
