package io.marketingbus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Runs after the whole unit and end-to-end suite and reads every log line the bus wrote in it (the test output
 * Surefire captured): no e-mail address, phone number, token or secret may appear. Lines of the fakes (WireMock
 * prints what it received) are not the bus's and are skipped.
 */
class LogHygieneIT {

    /** The bus's own log lines: log4j's pattern "HH:mm:ss.SSS LEVEL [thread] logger - message". */
    static final Pattern BUS_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (TRACE|DEBUG|INFO|WARN|ERROR) .*");
    static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9-]+\\.[A-Za-z.]{2,}");
    static final Pattern PHONE = Pattern.compile("\\+34 ?600|34600112233");
    /** Every credential the suite configures. */
    static final List<String> SECRETS = List.of("pat-test-token", "s3cret-path-2f9a", "test-client-secret", "relay-secret",
            "mc-key-us21", "fb-token", "g-token", "dev-token", "ga4-token", "ac-token", "pat-opp", "opp-client-secret",
            "pat-restart", "restart-client-secret", "poll-secret", "pat-poll", "pat-conv", "pat-replay", "ops-token",
            "sandbox-hubspot", "sandbox-admin", "pat-single-a", "pat-single-b", "sandbox-facebook", "sandbox-google-ads",
            "down-secret", "restart-secret", "app-secret-1", "refresh-1", "revoked-1", "fixed-2", "sbx-");

    @Test
    void theBusNeverLogsPersonalDataOrSecrets() throws IOException {
        Path reports = Path.of("target", "surefire-reports");
        assertThat(reports).isDirectory();
        List<String> leaks = new ArrayList<>();
        int lines = 0;
        try (Stream<Path> files = Files.list(reports)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-output.txt")).toList()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!BUS_LINE.matcher(line).matches()) {
                        continue;
                    }
                    lines++;
                    if (EMAIL.matcher(line).find() || PHONE.matcher(line).find()
                            || SECRETS.stream().anyMatch(line::contains)) {
                        leaks.add(file.getFileName() + ": " + line);
                    }
                }
            }
        }
        System.out.printf("log hygiene: %d log lines of the bus read, %d leaks%n", lines, leaks.size());
        assertThat(lines).as("bus log lines found").isGreaterThan(1000);
        assertThat(leaks).isEmpty();
    }
}
