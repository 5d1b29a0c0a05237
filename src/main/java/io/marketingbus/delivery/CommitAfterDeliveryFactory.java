package io.marketingbus.delivery;

import org.apache.camel.component.kafka.consumer.CommitManager;
import org.apache.camel.component.kafka.consumer.DefaultKafkaManualSyncCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommit;
import org.apache.camel.component.kafka.consumer.KafkaManualCommitFactory;

/**
 * Makes delivery consumers commit only where the bus says so. camel-kafka picks its commit manager from the
 * factory's class: its own factories bring managers that also commit processed offsets by themselves; any other
 * factory gets the no-op manager, so an offset moves only when {@link DeliveryBatches} commits a batch, after
 * every event in it was accepted by its platform or dead-lettered.
 */
public final class CommitAfterDeliveryFactory implements KafkaManualCommitFactory {

    @Override
    public KafkaManualCommit newInstance(CamelExchangePayload exchange, KafkaRecordPayload record,
                                         CommitManager commitManager) {
        return new DefaultKafkaManualSyncCommit(exchange, record, commitManager);
    }
}
