package io.steadfast.load.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The pieces of the load plan that need no server: thresholds, schedules, durations. */
class PlanPartsTest {
    private static final Stats STATS = new Stats("messages", 990, 10, 5, 9, 12.5, 40, 80, 120, 7, 99);

    @Test
    void thresholds_read_like_k6_and_judge_the_named_metric() {
        Threshold p95 = Threshold.parse("p95<1500");
        assertThat(p95.series()).isNull();
        assertThat(p95.holds(p95.valueIn(STATS))).isTrue();
        assertThat(p95.margin(p95.valueIn(STATS))).isCloseTo(1500 / 12.5, within(1e-9));

        Threshold failed = Threshold.parse("failed<0.1%");
        assertThat(failed.valueIn(STATS)).isCloseTo(0.01, within(1e-12));
        assertThat(failed.holds(failed.valueIn(STATS))).isFalse();
        assertThat(Threshold.parse("failed<=1%").holds(0.01)).isTrue();

        Threshold scoped = Threshold.parse("messages:p99 < 30");
        assertThat(scoped.series()).isEqualTo("messages");
        assertThat(scoped.holds(scoped.valueIn(STATS))).isFalse();
        assertThat(Threshold.parse("rate>98").holds(STATS.rate())).isTrue();
        assertThat(Threshold.parse("max<=120").holds(STATS.max())).isTrue();
    }

    @Test
    void a_threshold_that_cannot_be_read_says_what_one_looks_like() {
        assertThatThrownBy(() -> Threshold.parse("p95 under 1500")).hasMessageContaining("p95<1500");
        assertThatThrownBy(() -> Threshold.parse("p97<10")).hasMessageContaining("metrics are p50, p90");
        assertThatThrownBy(() -> Threshold.parse("p95<5%")).hasMessageContaining("only 'failed' is a share");
    }

    @Test
    void a_profile_schedules_the_arrivals_its_rates_add_up_to() {
        Profile ramp = Profile.scaled(Duration.ofSeconds(16), 100, 0, 0.25, 1, 0.5, 1, 0.25, 0);

        assertThat(ramp.duration()).isEqualTo(Duration.ofSeconds(16));
        assertThat(ramp.rateAt(2)).isCloseTo(50, within(1e-9));
        assertThat(ramp.rateAt(8)).isCloseTo(100, within(1e-9));
        assertThat(ramp.arrivalsBy(4)).isCloseTo(200, within(1e-9));
        assertThat(ramp.arrivalsBy(16)).isCloseTo(200 + 800 + 200, within(1e-9));
        assertThat(ramp.rateAt(16)).isZero();
        assertThat(Profile.constant(7, Duration.ofSeconds(3)).arrivalsBy(3)).isCloseTo(21, within(1e-9));
    }

    @Test
    void durations_are_written_the_way_people_write_them() {
        PlanOptions.DurationConverter convert = new PlanOptions.DurationConverter();

        assertThat(convert.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(convert.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(convert.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(convert.convert("45")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> convert.convert("5 minutes")).hasMessageContaining("write 90s, 5m, 1h30m or 500ms");
    }
}
