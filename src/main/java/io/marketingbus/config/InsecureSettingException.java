package io.marketingbus.config;

import java.util.List;

/** Start-up refused in prod because settings hold dev values or secrets too short to be secret; values never shown. */
public class InsecureSettingException extends IllegalStateException {

    public InsecureSettingException(List<String> problems) {
        super("marketing-bus cannot start in prod: insecure setting" + (problems.size() > 1 ? "s" : "") + ":\n  - "
                + String.join("\n  - ", problems));
    }
}
