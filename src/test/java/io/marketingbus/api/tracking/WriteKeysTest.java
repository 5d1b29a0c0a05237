package io.marketingbus.api.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.marketingbus.config.InsecureSettingException;
import org.junit.jupiter.api.Test;

class WriteKeysTest {

    @Test
    void aKeyNamesItsSourceAndASourceMayHaveTwoKeys() {
        WriteKeys keys = WriteKeys.parse("web=k1-aaaaaaaaaaaaaaaa, ios=k2-bbbbbbbbbbbbbbbb,web=k3-cccccccccccccccc");
        assertThat(keys.resolve("k1-aaaaaaaaaaaaaaaa")).isEqualTo(new WriteKeys.WriteKey("web", "web#1"));
        assertThat(keys.resolve("k3-cccccccccccccccc")).isEqualTo(new WriteKeys.WriteKey("web", "web#2"));
        assertThat(keys.resolve("k2-bbbbbbbbbbbbbbbb").source()).isEqualTo("ios");
        assertThat(keys.resolve("k1-aaaaaaaaaaaaaaa")).isNull();
        assertThat(keys.resolve("")).isNull();
        assertThat(keys.resolve(null)).isNull();
    }

    @Test
    void prodRefusesTheDevKeyAndDevTakesIt() {
        assertThatThrownBy(() -> WriteKeys.forProfile("tracking.write-keys", "web=dev-write-key", false))
                .isInstanceOf(InsecureSettingException.class).hasMessageNotContaining("web=dev");
        assertThat(WriteKeys.forProfile("tracking.write-keys", WriteKeys.DEV_SETTING, true).resolve("dev-write-key"))
                .isNotNull();
    }

    @Test
    void anEntryWithoutSourceIsRefused() {
        assertThatThrownBy(() -> WriteKeys.parse("justakey")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("justakey");
    }
}
