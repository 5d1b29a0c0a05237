package io.marketingbus.platform.make;

import java.util.List;

import io.marketingbus.api.hooks.Hook;
import io.marketingbus.api.hooks.HookDeliveries;
import io.marketingbus.event.EventCodec;

/** Make's hooks: {@code make.hooks} (routes/flows/hooks.camel.yaml); Make has no REST-hook subscriptions. */
public final class MakeHooks extends HookDeliveries {

    public MakeHooks(List<Hook> configured, EventCodec codec) {
        super("make", configured, null, codec, MakeSandbox.MAX_BODY);
    }
}
