package io.marketingbus.platform.googleads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRejectedException;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Identifiers;

/**
 * Opportunity events into Google Ads Customer Match (docs/platforms/google-ads.md §3, §6): an OfflineUserDataJob is created
 * for the user list, the contact is added as one user with up to three identifiers (e-mail, E.164 phone with
 * {@code +}, and an address with hashed names and clear country and postal code), and the job is run. Google's
 * normalisation differs from Meta's: the same phone hashes differently.
 */
public final class GoogleAdsTranslator {

    private final JsonNodeFactory json = JsonNodeFactory.instance;
    private final String apiVersion;
    private final String customerId;

    /** The kind of the internal request that adds one contact to a user list ({@link GoogleAdsUserListJobs}). */
    static final String USER_LIST_MEMBER = "google-ads/user-list-member/";

    public GoogleAdsTranslator(String apiVersion, String customerId) {
        this.apiVersion = apiVersion;
        this.customerId = customerId.replace("-", "");
    }

    /** {@code POST /v{N}/customers/{cid}/offlineUserDataJobs:create}. Only consented contacts get here. */
    public PlatformRequest createJob(String userListId) {
        ObjectNode body = json.objectNode();
        ObjectNode job = body.putObject("job");
        job.put("type", "CUSTOMER_MATCH_USER_LIST");
        ObjectNode metadata = job.putObject("customerMatchUserListMetadata");
        metadata.put("userList", "customers/" + customerId + "/userLists/" + userListId);
        ObjectNode consent = metadata.putObject("consent");
        consent.put("adUserData", "GRANTED");
        consent.put("adPersonalization", "GRANTED");
        return new PlatformRequest("POST", "/" + apiVersion + "/customers/" + customerId + "/offlineUserDataJobs:create",
                null, body);
    }

    /** The job's resource name from the create answer, carried to the next two calls. */
    public String jobResourceName(JsonNode createResponse) {
        String name = createResponse.path("resourceName").asText("");
        if (!name.startsWith("customers/" + customerId + "/offlineUserDataJobs/")) {
            throw new PlatformRejectedException("google-ads", 200, "Google Ads answered no job resource name",
                    createResponse.toString());
        }
        return name;
    }

    /**
     * The bus's internal request to add one contact to a user list: the Customer Match operation, keyed by the user
     * list. Google has no endpoint for one member: {@link GoogleAdsUserListJobs} sends a batch of these as one
     * offline user data job (create, addOperations, run); a connector refuses to send it as it is.
     */
    public PlatformRequest userListMember(CloudEvent event, String userListId) {
        Contact contact = event.data().contact();
        ObjectNode body = json.objectNode();
        ArrayNode identifiers = body.putArray("operations").addObject().putObject("create").putArray("userIdentifiers");
        identifiers.addObject().put("hashedEmail", Identifiers.sha256Hex(Identifiers.normaliseEmail(contact.email())));
        String phone = e164(contact.phone());
        if (phone != null) {
            identifiers.addObject().put("hashedPhoneNumber", Identifiers.sha256Hex(phone));
        }
        if (contact.firstName() != null && contact.lastName() != null && contact.country() != null
                && contact.postalCode() != null) {
            ObjectNode address = identifiers.addObject().putObject("addressInfo");
            address.put("hashedFirstName", Identifiers.sha256Hex(contact.firstName().trim().toLowerCase(java.util.Locale.ROOT)));
            address.put("hashedLastName", Identifiers.sha256Hex(contact.lastName().trim().toLowerCase(java.util.Locale.ROOT)));
            address.put("countryCode", contact.country());
            address.put("postalCode", contact.postalCode().trim());
        }
        return PlatformRequest.internal(USER_LIST_MEMBER + userListId, body);
    }

    /** {@code POST /v{N}/{job}:addOperations} with partial failure on, so a bad identifier is reported, not fatal. */
    public PlatformRequest addOperations(String job, ArrayNode operations) {
        ObjectNode body = json.objectNode();
        body.put("enablePartialFailure", true);
        body.set("operations", operations);
        return new PlatformRequest("POST", "/" + apiVersion + "/" + job + ":addOperations", null, body);
    }

    public PlatformRequest run(String job) {
        return new PlatformRequest("POST", "/" + apiVersion + "/" + job + ":run", null, json.objectNode());
    }

    /** Google: E.164, which needs the country code; a number without {@code +} cannot be made E.164 safely. */
    static String e164(String phone) {
        return phone != null && phone.startsWith("+") && phone.length() > 4 ? phone : null;
    }
}
