package io.steadfast.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** The status state machine: the end state is the furthest status seen, whatever the order and repetitions. */
class MessageStatusProperties {

    @Property
    void the_end_state_is_the_furthest_status_in_any_order(@ForAll @Size(max = 12) List<MessageStatus> reports,
                                                           @ForAll Random random) {
        MessageStatus expected = reports.stream().max(Comparator.comparingInt(MessageStatus::rank))
                .map(s -> MessageStatus.furthest(MessageStatus.RECEIVED, s)).orElse(MessageStatus.RECEIVED);
        List<MessageStatus> shuffled = new java.util.ArrayList<>(reports);
        Collections.shuffle(shuffled, random);

        assertThat(apply(shuffled)).isEqualTo(expected);
    }

    @Property
    void a_status_never_moves_backwards(@ForAll @Size(max = 12) List<MessageStatus> reports) {
        MessageStatus current = MessageStatus.RECEIVED;
        for (MessageStatus report : reports) {
            MessageStatus next = MessageStatus.furthest(current, report);
            assertThat(next.rank()).isGreaterThanOrEqualTo(current.rank());
            current = next;
        }
    }

    @Property
    void applying_a_report_twice_changes_nothing(@ForAll MessageStatus current, @ForAll MessageStatus report) {
        MessageStatus once = MessageStatus.furthest(current, report);
        assertThat(MessageStatus.furthest(once, report)).isEqualTo(once);
    }

    @Property
    void read_survives_a_late_delivered_and_failed_survives_a_late_sent(@ForAll @Size(max = 6) List<MessageStatus> before) {
        MessageStatus read = apply(concat(before, MessageStatus.READ));
        assertThat(MessageStatus.furthest(read, MessageStatus.DELIVERED)).isIn(MessageStatus.READ, MessageStatus.FAILED);
        MessageStatus failed = apply(concat(before, MessageStatus.FAILED));
        assertThat(MessageStatus.furthest(failed, MessageStatus.SENT)).isEqualTo(MessageStatus.FAILED);
    }

    @Property
    void wire_names_round_trip_and_unknown_ones_are_unranked(@ForAll MessageStatus status, @ForAll String unknown) {
        if (status != MessageStatus.RECEIVED) {
            assertThat(MessageStatus.fromWire(status.wire())).contains(status);
        }
        if (MessageStatus.fromWire(unknown).isEmpty()) {
            assertThat(MessageStatus.rankOf(unknown)).isEqualTo(MessageStatus.UNRANKED).isLessThan(MessageStatus.RECEIVED.rank());
        }
    }

    private static MessageStatus apply(List<MessageStatus> reports) {
        MessageStatus current = MessageStatus.RECEIVED;
        for (MessageStatus report : reports) {
            current = MessageStatus.furthest(current, report);
        }
        return current;
    }

    private static List<MessageStatus> concat(List<MessageStatus> list, MessageStatus last) {
        List<MessageStatus> all = new java.util.ArrayList<>(list);
        all.add(last);
        return all;
    }
}
