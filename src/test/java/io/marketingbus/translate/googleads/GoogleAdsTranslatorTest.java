package io.marketingbus.translate.googleads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.support.Opportunities;
import io.marketingbus.support.Samples;
import org.junit.jupiter.api.Test;

class GoogleAdsTranslatorTest {

    final GoogleAdsTranslator translator = new GoogleAdsTranslator("v24", "123-456-7890");

    @Test
    void createIsTheDocumentedJobForTheUserList() {
        PlatformRequest create = translator.createJob("987654321");

        assertThat(create.path()).isEqualTo("/v24/customers/1234567890/offlineUserDataJobs:create");
        assertThat(create.body()).isEqualTo(Samples.json("google-ads-offlineuserdatajob-create-request.json"));
    }

    @Test
    void addOperationsCarryGooglesHashesAndTheJobResourceName() {
        String job = translator.jobResourceName(Samples.json("google-ads-offlineuserdatajob-create-response.json"));
        PlatformRequest add = translator.addOperations(Opportunities.lucia("created", 1767225600123L, "true"), job);

        assertThat(job).isEqualTo("customers/1234567890/offlineUserDataJobs/5550001");
        assertThat(add.path()).isEqualTo("/v24/customers/1234567890/offlineUserDataJobs/5550001:addOperations");
        assertThat(add.body()).isEqualTo(Samples.json("google-ads-offlineuserdatajob-addoperations-request.json"));
        assertThat(translator.run(job).path()).isEqualTo("/v24/customers/1234567890/offlineUserDataJobs/5550001:run");
        assertThat(translator.run(job).body()).isEqualTo(Samples.json("google-ads-offlineuserdatajob-run-request.json"));
    }

    @Test
    void theSamePhoneHashesDifferentlyForGoogleThanForMeta() {
        String google = Samples.vectors().at("/hashes/sha256(google_phone)").asText();
        String meta = Samples.vectors().at("/hashes/sha256(meta_phone)").asText();
        PlatformRequest add = translator.addOperations(Opportunities.lucia("created", 1767225600123L, "true"),
                "customers/1234567890/offlineUserDataJobs/1");

        assertThat(add.body().toString()).contains(google).doesNotContain(meta);
    }

    @Test
    void aJobWithoutResourceNameOrAPartialFailureIsARejection() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        assertThatThrownBy(() -> translator.jobResourceName(mapper.readTree("{}")))
                .isInstanceOf(PlatformRejectedException.class);
        assertThatThrownBy(() -> translator.requireNoPartialFailure(mapper.readTree(
                "{\"partialFailureError\":{\"code\":3,\"message\":\"The user identifier is invalid\"}}")))
                .isInstanceOf(PlatformRejectedException.class).hasMessageContaining("identifier is invalid");
        translator.requireNoPartialFailure(mapper.readTree("{}"));
    }
}
