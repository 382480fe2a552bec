package io.steadfast.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Numbers that make no benchmark are refused as bad usage, naming the option, before anything starts. */
class LoadCommandTest {
    @ParameterizedTest(name = "load {0} {1} {2}")
    @CsvSource({
            "orders, --orders, 0",
            "orders, --connections, 0",
            "orders, --seconds, -1",
            "orders, --updates, 0",
            "ingest, --connections, 0",
            "ingest, --rate, 0",
            "ingest, --seconds, 0",
            "ingest, --runs, 0",
            "commerce, --rounds, 0",
            "commerce, --connections, 0",
            "queries, --businesses, 0",
            "queries, --messages, 0",
            "queries, --connections, 0",
            "dashboard, --connections, 0"})
    void a_number_that_makes_no_benchmark_is_bad_usage(String benchmark, String option, String value) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new LoadCommand()).setErr(new PrintWriter(err)).execute(benchmark, option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(option + " must be at least", "got " + value, "Usage: load " + benchmark);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @CsvSource({"--businesses, 0", "--conversations, 10", "--messages, 0", "--days, 0"})
    void seeding_nothing_is_bad_usage_before_any_database_is_opened(String option, String value) {
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new SeedCommand()).setErr(new PrintWriter(err)).execute(option, value);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(option + " must be at least", "got " + value, "Usage: seed");
    }
}
