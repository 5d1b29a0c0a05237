package io.marketingbus.translate.hubspot;

/** HubSpot answered, and refused the write; retrying the same request will not change its mind. */
public class HubSpotRejectedException extends RuntimeException {

    private final int status;
    private final String responseBody;

    public HubSpotRejectedException(int status, String reason, String responseBody) {
        super(reason);
        this.status = status;
        this.responseBody = responseBody;
    }

    public int status() {
        return status;
    }

    public String responseBody() {
        return responseBody;
    }
}
