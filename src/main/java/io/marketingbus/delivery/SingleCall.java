package io.marketingbus.delivery;

import java.util.Collections;
import java.util.List;

/** Requests with no batch form (a PATCH, a Mailchimp member, an ActiveCampaign sync): one call each. */
final class SingleCall implements BatchRule {

    static final SingleCall INSTANCE = new SingleCall();

    @Override
    public boolean takes(String connector, PlatformRequest request) {
        return true;
    }

    @Override
    public String group(PlatformRequest request) {
        return null;
    }

    @Override
    public int limit() {
        return 1;
    }

    @Override
    public List<RuntimeException> send(List<PlatformRequest> parts, Caller caller) throws Exception {
        caller.call(parts.get(0));
        return Collections.singletonList(null);
    }
}
