package io.marketingbus.platform.slack;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.marketingbus.delivery.PlatformRequest;
import io.marketingbus.event.CloudEvent;
import io.marketingbus.event.Contact;
import io.marketingbus.event.Conversion;
import io.marketingbus.event.EventTypes;
import io.marketingbus.event.Identifiers;
import io.marketingbus.event.Opportunity;

/**
 * The notifications the bus posts in Slack, as {@code chat.postMessage} requests (docs/platforms/slack.md §3): a
 * {@code text} fallback (what notifications and screen readers show) and Block Kit {@code blocks}. The channel of
 * each is given by the rule that posts it (routes/flows/notifications.camel.yaml). No e-mail address is written in
 * clear: a contact is shown by name, or by a masked address.
 */
public final class SlackMessages {

    static final String PATH = "/chat.postMessage";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final String dealLink;

    /**
     * @param dealLink a deal's page in the CRM, {@code {deal}} replaced by the deal's id (e.g.
     *                 {@code https://app.hubspot.com/contacts/62515/record/0-3/{deal}}); blank: no link
     */
    public SlackMessages(String dealLink) {
        this.dealLink = dealLink == null ? "" : dealLink;
    }

    /** A high-value opportunity: a deal created or changed, its stage and amount. */
    public PlatformRequest opportunity(CloudEvent event, String channel) {
        Opportunity deal = event.data().opportunity();
        boolean created = EventTypes.OPPORTUNITY_CREATED.equals(event.type());
        String amount = amount(deal.currency(), deal.amount());
        String name = deal.name() == null || deal.name().isBlank() ? "deal " + deal.id() : deal.name();
        String text = (created ? "New " : "Updated ") + platformName(deal.platform()) + " deal: " + name
                + (amount.isEmpty() ? "" : " (" + amount + ")");
        String link = dealLink.isBlank() || deal.id() == null ? "" : dealLink.replace("{deal}", deal.id());
        String title = link.isEmpty() ? escape(name) : "<" + link + "|" + escape(name) + ">";
        String details = "Stage: " + escape(String.valueOf(deal.stage()))
                + (amount.isEmpty() ? "" : " · Amount: " + amount);
        return message(channel, text, section((created ? "*New deal* " : "*Deal updated* ") + title + "\n" + details));
    }

    /** A purchase that made its customer VIP (their total reached the loyalty VIP amount). */
    public PlatformRequest vipCustomer(CloudEvent event, String channel) {
        Conversion purchase = event.data().conversion();
        String who = who(event.data().contact());
        String total = amount(purchase.currency(), purchase.customerTotal());
        String order = purchase.orderId() != null ? purchase.orderId() : purchase.transactionId();
        String text = "VIP customer: " + who + " reached " + total + " in purchases";
        String details = "*VIP customer* " + escape(who) + "\nTotal: " + total + " · This order: "
                + escape(String.valueOf(order)) + " (" + amount(purchase.currency(), purchase.value()) + ")";
        return message(channel, text, section(details));
    }

    /** Whether this purchase made its customer VIP: their total reached {@code vipAmount} with it, not before. */
    public boolean becameVip(CloudEvent event, String vipAmountSetting) {
        BigDecimal vipAmount = new BigDecimal(vipAmountSetting.trim());
        Conversion purchase = event.data() == null ? null : event.data().conversion();
        if (purchase == null || purchase.customerTotal() == null || Boolean.TRUE.equals(purchase.test())
                || !EventTypes.CONVERSION_PURCHASE.equals(event.type())) {
            // an adjustment (a refund, a late copy) never announces a VIP: its value is not what it added
            return false;
        }
        BigDecimal before = purchase.customerTotal().subtract(purchase.value() == null ? BigDecimal.ZERO : purchase.value());
        return purchase.customerTotal().compareTo(vipAmount) >= 0 && before.compareTo(vipAmount) < 0;
    }

    /** An operational alert: a title and a line of details. */
    public PlatformRequest alert(String channel, String title, String details) {
        return message(channel, ":rotating_light: " + title, section("*" + escape(title) + "*\n" + escape(details)));
    }

    /** A key that is the same for every event announcing the same deal state (one event per contact of a deal). */
    public String dealKey(CloudEvent event) {
        Opportunity deal = event.data().opportunity();
        return "deal:" + event.source() + ":" + deal.id() + ":" + deal.stage() + ":" + deal.amount();
    }

    static PlatformRequest message(String channel, String text, ObjectNode... blocks) {
        ObjectNode body = JSON.objectNode();
        body.put("channel", channel);
        body.put("text", text);
        ArrayNode list = body.putArray("blocks");
        for (ObjectNode block : blocks) {
            list.add(block);
        }
        body.put("unfurl_links", false);
        return new PlatformRequest("POST", PATH, null, body);
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode block = JSON.objectNode();
        block.put("type", "section");
        block.putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
        return block;
    }

    private static String platformName(String platform) {
        return "hubspot".equals(platform) ? "HubSpot" : String.valueOf(platform);
    }

    private static String who(Contact contact) {
        if (contact == null) {
            return "a customer";
        }
        String name = ((contact.firstName() == null ? "" : contact.firstName()) + " "
                + (contact.lastName() == null ? "" : contact.lastName())).trim();
        if (!name.isEmpty()) {
            return name;
        }
        return contact.email() != null ? Identifiers.maskEmail(contact.email()) : "a customer";
    }

    /** {@code EUR 4,800}, {@code EUR 4,800.5}: grouped, decimals only when there are any. */
    static String amount(String currency, BigDecimal value) {
        if (value == null) {
            return "";
        }
        DecimalFormat format = new DecimalFormat("#,##0.##", DecimalFormatSymbols.getInstance(Locale.ROOT));
        return (currency == null ? "" : currency + " ") + format.format(value);
    }

    /** Slack's mrkdwn control characters (docs/platforms/slack.md §3). */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
