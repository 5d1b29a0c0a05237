package io.marketingbus.platform.make;

import java.time.Clock;
import java.util.Map;

import io.marketingbus.api.hooks.HookIngress;
import io.marketingbus.event.EventCodec;

/** {@code POST /webhooks/make/{source}}: a Make scenario's HTTP module (routes/ingress/make-webhook.camel.yaml). */
public final class MakeIngress extends HookIngress {

    /** The docs' dev secret of source {@code dev}: refused in prod. */
    public static final String DEV_SECRET = "make-dev-secret";

    public MakeIngress(Map<String, String> secrets, EventCodec codec, Clock clock) {
        super("make", "make", secrets, codec, clock);
    }
}
