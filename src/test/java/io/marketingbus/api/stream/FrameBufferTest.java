package io.marketingbus.api.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class FrameBufferTest {

    @Test
    void keepsTheNewestFramesAndCountsTheOnesItDropped() {
        FrameBuffer buffer = new FrameBuffer(3);
        int pushedOut = 0;
        for (int i = 1; i <= 10; i++) {
            pushedOut += buffer.offer("f" + i);
        }

        assertThat(pushedOut).isEqualTo(7);
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.takeDropped()).isEqualTo(7);
        assertThat(buffer.takeDropped()).as("told once").isZero();
        List<String> left = new ArrayList<>();
        for (String f = buffer.poll(); f != null; f = buffer.poll()) {
            left.add(f);
        }
        assertThat(left).containsExactly("f8", "f9", "f10");
    }

    @Test
    void nothingIsDroppedWhileThereIsRoom() {
        FrameBuffer buffer = new FrameBuffer(2);
        assertThat(buffer.offer("a")).isZero();
        assertThat(buffer.poll()).isEqualTo("a");
        assertThat(buffer.offer("b")).isZero();
        assertThat(buffer.offer("c")).isZero();
        assertThat(buffer.offer("d")).isEqualTo(1);
        assertThat(buffer.dropped()).isEqualTo(1);
        assertThat(buffer.poll()).isEqualTo("c");
    }

    @Test
    void aBufferHoldsAtLeastOneFrame() {
        assertThatThrownBy(() -> new FrameBuffer(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
