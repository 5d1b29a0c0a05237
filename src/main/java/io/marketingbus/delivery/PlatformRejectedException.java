package io.marketingbus.delivery;

/** A platform answered and refused what we sent; retrying the same request will not change its mind. */
public class PlatformRejectedException extends RuntimeException {

    private final String platform;
    private final int status;
    private final String responseBody;

    public PlatformRejectedException(String platform, int status, String reason, String responseBody) {
        super(reason);
        this.platform = platform;
        this.status = status;
        this.responseBody = responseBody;
    }

    public String platform() {
        return platform;
    }

    public int status() {
        return status;
    }

    public String responseBody() {
        return responseBody;
    }
}
