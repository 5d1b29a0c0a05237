package io.marketingbus.api.tracking;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import io.marketingbus.ingress.WebhookRejectedException;

/**
 * A tracking call's body as bytes: {@code application/json}, or {@code text/plain} as analytics.js sends it (no CORS
 * preflight for a simple request); {@code Content-Encoding: gzip} inflated here (the webhook server does not
 * decompress requests) with a hard cap, so a small zip bomb cannot make a large body.
 */
final class TrackingBody {

    private TrackingBody() {
    }

    /**
     * @param limit the most bytes the decoded body may have; one more is read, to tell "at the limit" from "over"
     * @return the decoded body, at most {@code limit + 1} bytes
     */
    static byte[] decode(byte[] raw, String contentType, String contentEncoding, int limit) {
        if (contentType != null) {
            String type = contentType.toLowerCase(Locale.ROOT);
            if (!type.startsWith("application/json") && !type.startsWith("text/plain")) {
                throw new WebhookRejectedException(415, "the body must be JSON, sent as application/json or text/plain", false);
            }
        }
        String encoding = contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (encoding.equals("identity") || encoding.isEmpty()) {
            return raw;
        }
        if (!encoding.equals("gzip")) {
            throw new WebhookRejectedException(415, "Content-Encoding " + encoding + " is not accepted (gzip is)", false);
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit + 1, raw.length * 4 + 64));
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) > 0) {
                int room = limit + 1 - out.size();
                out.write(buffer, 0, Math.min(read, room));
                if (out.size() > limit) {
                    break;
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new WebhookRejectedException(400, "the body is not valid gzip", false);
        }
    }
}
