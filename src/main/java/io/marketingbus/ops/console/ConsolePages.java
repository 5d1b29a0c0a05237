package io.marketingbus.ops.console;

/** The console's two pages made on the server: the sign-in form and "the console is off". No inline script or style. */
final class ConsolePages {

    private ConsolePages() {
    }

    /** @param message shown above the form (a fixed text, never user input), or null */
    static String login(String message) {
        return page("Sign in", """
                <main class="login">
                  <h1>marketing-bus console</h1>
                  %s<form method="post" action="/console/login" autocomplete="off">
                    <label for="token">Admin token</label>
                    <input id="token" name="token" type="password" required autofocus>
                    <button id="sign-in" type="submit">Sign in</button>
                  </form>
                  <p class="hint">The token is the setting <code>bus.admin-token</code> (dev: <code>sandbox-admin</code>).
                  It is kept in this browser as an http-only session cookie, never in the address.</p>
                </main>
                """.formatted(message == null ? "" : "<p id=\"login-error\" class=\"error\" role=\"alert\">"
                + escape(message) + "</p>\n  "));
    }

    static String off() {
        return page("Console off", """
                <main class="login">
                  <h1>marketing-bus console</h1>
                  <p id="console-off" class="error">The console is off: set <code>bus.admin-token</code> to turn it on.</p>
                </main>
                """);
    }

    private static String page(String title, String body) {
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%s · marketing-bus</title>
                <link rel="stylesheet" href="/console/assets/console.css">
                </head>
                <body>
                %s</body>
                </html>
                """.formatted(title, body);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
