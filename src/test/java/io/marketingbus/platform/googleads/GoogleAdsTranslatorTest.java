package io.marketingbus.platform.googleads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

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
    void aBatchOfMembersIsOneDocumentedJobCreatedFilledAndRun() throws Exception {
        List<PlatformRequest> sent = new ArrayList<>();
        GoogleAdsUserListJobs jobs = new GoogleAdsUserListJobs(translator);
        PlatformRequest member = translator.userListMember(Opportunities.lucia("created", 1767225600123L, "true"),
                "987654321");

        assertThat(jobs.takes("direct:google-ads-api", member)).isTrue();
        List<RuntimeException> outcome = jobs.send(List.of(member), request -> {
            sent.add(request);
            return sent.size() == 1 ? Samples.json("google-ads-offlineuserdatajob-create-response.json")
                    : new ObjectMapper().createObjectNode();
        });

        assertThat(outcome).containsExactly((RuntimeException) null);
        assertThat(sent).extracting(PlatformRequest::path).containsExactly(
                "/v24/customers/1234567890/offlineUserDataJobs:create",
                "/v24/customers/1234567890/offlineUserDataJobs/5550001:addOperations",
                "/v24/customers/1234567890/offlineUserDataJobs/5550001:run");
        assertThat(sent.get(0).body()).isEqualTo(Samples.json("google-ads-offlineuserdatajob-create-request.json"));
        assertThat(sent.get(1).body()).isEqualTo(Samples.json("google-ads-offlineuserdatajob-addoperations-request.json"));
        assertThat(sent.get(2).body()).isEqualTo(Samples.json("google-ads-offlineuserdatajob-run-request.json"));
    }

    @Test
    void theSamePhoneHashesDifferentlyForGoogleThanForMeta() {
        String google = Samples.vectors().at("/hashes/sha256(google_phone)").asText();
        String meta = Samples.vectors().at("/hashes/sha256(meta_phone)").asText();
        PlatformRequest add = translator.userListMember(Opportunities.lucia("created", 1767225600123L, "true"), "1");

        assertThat(add.body().toString()).contains(google).doesNotContain(meta);
    }

    @Test
    void onlyTheMembersGoogleNamesInThePartialFailureFail() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        GoogleAdsUserListJobs jobs = new GoogleAdsUserListJobs(translator);
        PlatformRequest first = translator.userListMember(Opportunities.lucia("created", 1767225600123L, "true"), "9");
        PlatformRequest second = translator.userListMember(Opportunities.lucia("updated", 1767225600123L, "true"), "9");
        String failure = "{\"partialFailureError\":{\"code\":3,\"message\":\"The user identifier is invalid\","
                + "\"details\":[{\"errors\":[{\"message\":\"The user identifier is invalid\",\"location\":"
                + "{\"fieldPathElements\":[{\"fieldName\":\"operations\",\"index\":1}]}}]}]}}";
        List<String> paths = new ArrayList<>();

        List<RuntimeException> outcome = jobs.send(List.of(first, second), request -> {
            paths.add(request.path());
            return paths.size() == 1 ? Samples.json("google-ads-offlineuserdatajob-create-response.json")
                    : paths.size() == 2 ? mapper.readTree(failure) : mapper.createObjectNode();
        });

        assertThat(outcome.get(0)).isNull();
        assertThat(outcome.get(1)).isInstanceOf(PlatformRejectedException.class).hasMessageContaining("identifier is invalid");
        assertThat(paths).hasSize(3).last().asString().endsWith(":run");
        assertThatThrownBy(() -> translator.jobResourceName(mapper.readTree("{}")))
                .isInstanceOf(PlatformRejectedException.class);
    }
}
