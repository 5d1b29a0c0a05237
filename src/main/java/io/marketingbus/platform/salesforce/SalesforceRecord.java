package io.marketingbus.platform.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.Attributes;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * One record of an sObject Collections call, for camel-salesforce's {@code compositeUpsertSObjectCollections}, which
 * takes records as {@link AbstractDescribedSObjectBase}: the bus writes configured fields, not generated DTOs, so the
 * fields are a map written as the record's own JSON properties, and {@code attributes.type} names the object.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class SalesforceRecord extends AbstractDescribedSObjectBase {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public SalesforceRecord() {
    }

    /** A record from the bus's request body: {@code {"attributes":{"type":...}, field: value, ...}}. */
    public static SalesforceRecord of(JsonNode record) {
        SalesforceRecord result = new SalesforceRecord();
        Attributes attributes = new Attributes();
        attributes.setType(record.path("attributes").path("type").asText());
        result.setAttributes(attributes);
        record.fields().forEachRemaining(field -> {
            if (!"attributes".equals(field.getKey())) {
                JsonNode value = field.getValue();
                result.fields.put(field.getKey(), value.isNull() ? null : value.isBoolean() ? value.booleanValue()
                        : value.isNumber() ? value.numberValue() : value.asText());
            }
        });
        return result;
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        return fields;
    }

    @JsonAnySetter
    public void field(String name, Object value) {
        fields.put(name, value);
    }

    @Override
    public SObjectDescription description() {
        SObjectDescription description = new SObjectDescription();
        description.setName(getAttributes() == null ? null : getAttributes().getType());
        return description;
    }
}
