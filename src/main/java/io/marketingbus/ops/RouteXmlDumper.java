package io.marketingbus.ops;

import java.io.IOException;
import java.io.StringWriter;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.ThrottleDefinition;
import org.apache.camel.model.ThrottlingMode;
import org.apache.camel.xml.LwModelToXMLDumper;
import org.apache.camel.xml.out.BaseWriter;
import org.apache.camel.xml.out.ModelWriter;

/**
 * The route XML that JMX's {@code dumpRoutesAsXml()} and {@code dumpRouteAsXml()} answer, which Hawtio draws its
 * route diagram and source from. Camel 4.18's writer asks every throttle for its time period, and a throttle in
 * concurrent-requests mode (the Mailchimp and GA4 Data API connectors) throws instead of answering, so the dump
 * of the whole context failed. When that happens the routes are written again by a writer that leaves the time
 * period out of such throttles; that fallback never resolves placeholders and leaves generated ids out.
 */
public final class RouteXmlDumper extends LwModelToXMLDumper {

    @Override
    public String dumpModelAsXml(CamelContext context, NamedNode definition, boolean resolvePlaceholders,
                                 boolean generatedIds, boolean sourceLocation) throws Exception {
        try {
            return super.dumpModelAsXml(context, definition, resolvePlaceholders, generatedIds, sourceLocation);
        } catch (IllegalArgumentException e) {
            boolean throttle = e.getStackTrace().length > 0
                    && ThrottleDefinition.class.getName().equals(e.getStackTrace()[0].getClassName());
            if (!throttle || !(definition instanceof RoutesDefinition || definition instanceof RouteDefinition)) {
                throw e;
            }
            return write(definition);
        }
    }

    static String write(NamedNode definition) throws IOException {
        StringWriter out = new StringWriter();
        ModelWriter writer = new ModelWriter(out, BaseWriter.DEFAULT_NAMESPACE) {
            @Override
            protected void doWriteThrottleDefinition(String name, ThrottleDefinition def) throws IOException {
                if (ThrottlingMode.toMode(def.getMode()) == ThrottlingMode.TotalRequests) {
                    super.doWriteThrottleDefinition(name, def);
                    return;
                }
                startElement(name);
                doWriteProcessorDefinitionAttributes(def);
                doWriteAttribute("mode", def.getMode());
                doWriteAttribute("rejectExecution", def.getRejectExecution());
                doWriteAttribute("callerRunsWhenRejected", def.getCallerRunsWhenRejected(), "true");
                doWriteAttribute("executorService", def.getExecutorService());
                doWriteAttribute("asyncDelayed", def.getAsyncDelayed());
                doWriteExpressionNodeElements(def);
                doWriteElement("correlationExpression", def.getCorrelationExpression(),
                        this::doWriteExpressionSubElementDefinition);
                endElement(name);
            }

            @Override
            protected void doWriteOptionalIdentifiedDefinitionAttributes(OptionalIdentifiedDefinition<?> def)
                    throws IOException {
                if (Boolean.TRUE.equals(def.getCustomId())) {
                    doWriteAttribute("id", def.getId());
                }
                doWriteAttribute("description", def.getDescriptionText());
            }
        };
        if (definition instanceof RoutesDefinition routes) {
            writer.writeRoutesDefinition(routes);
        } else {
            writer.writeRouteDefinition((RouteDefinition) definition);
        }
        return out.toString();
    }
}
