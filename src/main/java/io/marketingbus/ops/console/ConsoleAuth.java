package io.marketingbus.ops.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import io.vertx.ext.web.RoutingContext;

/** Placeholder until the console shell lands: the admin token as a bearer header. */
public class ConsoleAuth {

    private final byte[] token;

    public ConsoleAuth(String adminToken) {
        this.token = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
    }

    public boolean authorised(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        return header != null && MessageDigest.isEqual(token, header.trim().getBytes(StandardCharsets.UTF_8));
    }
}
