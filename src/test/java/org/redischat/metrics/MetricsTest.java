package org.redischat.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The Prometheus text a scraper reads: families typed, labels per code, cumulative buckets. */
class MetricsTest {

    @Test
    void countersGaugesAndHistogramsAreWrittenAsPrometheusReadsThem() {
        Metrics m = new Metrics();
        m.gauge("chat_sockets_open", "open sockets", () -> 3);
        m.sent(TimeUnit.MICROSECONDS.toNanos(700));
        m.sent(TimeUnit.MILLISECONDS.toNanos(3));
        m.delivered(5);
        m.error("rate_limited");
        m.error("rate_limited");
        m.closed(1013);
        String text = m.prometheus();
        assertTrue(text.contains("# TYPE chat_sockets_open gauge\nchat_sockets_open 3\n"), text);
        assertTrue(text.contains("# TYPE chat_sends_total counter\nchat_sends_total 2\n"), text);
        assertTrue(text.contains("chat_deliveries_total 5\n"), text);
        assertTrue(text.contains("chat_errors_total{code=\"rate_limited\"} 2\n"), text);
        assertTrue(text.contains("chat_closes_total{code=\"1013\"} 1\n"), text);
        assertTrue(text.contains("# TYPE chat_append_seconds histogram\n"), text);
        assertTrue(text.contains("chat_append_seconds_bucket{le=\"0.0005\"} 0\n"), text);
        assertTrue(text.contains("chat_append_seconds_bucket{le=\"0.001\"} 1\n"), text);
        assertTrue(text.contains("chat_append_seconds_bucket{le=\"0.005\"} 2\n"), "cumulative: " + text);
        assertTrue(text.contains("chat_append_seconds_bucket{le=\"+Inf\"} 2\nchat_append_seconds_sum 0.0037\n"
                + "chat_append_seconds_count 2\n"), text);
    }
}
