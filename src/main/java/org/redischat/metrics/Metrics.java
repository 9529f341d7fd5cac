package org.redischat.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The chat's own figures of this node, written in the Prometheus text format by {@link #prometheus()}.
 * Counters and histograms are lock-free adders, so counting costs the hot path almost nothing.
 *
 * <p>Written by the application rather than through MicroProfile Metrics: Payara 6 has MicroProfile
 * Metrics 5, but WildFly dropped it for Micrometer and MicroProfile Telemetry (whose metrics need an
 * OpenTelemetry collector to become Prometheus text); this endpoint reads the same on both.
 */
@ApplicationScoped
public class Metrics {

    /** Seconds, for the latency histograms: 0.1 ms to 2.5 s. */
    private static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1, 2.5};

    private final LongAdder sends = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder catchUps = new LongAdder();
    private final LongAdder resubscriptions = new LongAdder();
    private final LongAdder unreplicated = new LongAdder();
    private final LongAdder unreadable = new LongAdder();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    private final Histogram append = new Histogram(BUCKETS);
    private final Histogram fanoutDelay = new Histogram(BUCKETS);
    private final Histogram redisRoundTrip = new Histogram(BUCKETS);
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private record Gauge(String help, LongSupplier value) {
    }

    /** A send that was stored and acked, and how long its append (script and round trip) took. */
    public void sent(long appendNanos) {
        sends.increment();
        append.observe(appendNanos);
    }

    /** Frames of room events handed to local sockets. */
    public void delivered(int sockets) {
        deliveries.add(sockets);
    }

    /** An error frame sent to a client, by its code. */
    public void error(String code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** A socket's end, by its close code (whoever closed it). */
    public void closed(int code) {
        closes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    /** A read of messages a socket missed. */
    public void caughtUp() {
        catchUps.increment();
    }

    /** A message acked while its master had no replica in sync to wait for (chat.ack.replicas-required=false). */
    public void ackedUnreplicated() {
        unreplicated.increment();
    }

    /** The bus's subscriber client replaced (a probe stayed away, or Redis came back). */
    public void resubscribed() {
        resubscriptions.increment();
    }

    /** A bus event in a form this node cannot read (another envelope version, a damaged header): dropped. */
    public void unreadableEvent() {
        unreadable.increment();
    }

    /** How long an event waited between the Redis listener and the fan-out thread. */
    public void fanoutWaited(long nanos) {
        fanoutDelay.observe(nanos);
    }

    /** A round trip to Redis (a probe's publish), measured by the bus every second. */
    public void redisRoundTrip(long nanos) {
        redisRoundTrip.observe(nanos);
    }

    /** A value read when scraped (open sockets, queue depth). */
    public void gauge(String name, String help, LongSupplier value) {
        gauges.put(name, new Gauge(help, value));
    }

    /** Every figure, in the Prometheus text exposition format (version 0.0.4). */
    public String prometheus() {
        StringBuilder out = new StringBuilder(4096);
        new TreeMap<>(gauges).forEach((name, g) -> family(out, name, "gauge", g.help()).append(name).append(' ')
                .append(g.value().getAsLong()).append('\n'));
        counter(out, "chat_sends_total", "messages stored and acked", sends.sum());
        counter(out, "chat_deliveries_total", "frames of room events handed to local sockets", deliveries.sum());
        counter(out, "chat_catchups_total", "reads of messages a socket missed", catchUps.sum());
        counter(out, "chat_resubscriptions_total", "times the bus's subscriber client was replaced", resubscriptions.sum());
        counter(out, "chat_acks_unreplicated_total",
                "messages acked while their master had no replica in sync (a failover before one syncs could lose them)",
                unreplicated.sum());
        counter(out, "chat_unreadable_events_total", "bus events in a form this node cannot read, dropped (should stay 0)",
                unreadable.sum());
        family(out, "chat_errors_total", "counter", "error frames sent to clients, by code");
        new TreeMap<>(errors).forEach((code, n) -> out.append("chat_errors_total{code=\"").append(code).append("\"} ")
                .append(n.sum()).append('\n'));
        family(out, "chat_closes_total", "counter", "sockets ended, by close code");
        new TreeMap<>(closes).forEach((code, n) -> out.append("chat_closes_total{code=\"").append(code).append("\"} ")
                .append(n.sum()).append('\n'));
        append.write(out, "chat_append_seconds", "time of a send's append script, round trip included");
        fanoutDelay.write(out, "chat_fanout_delay_seconds", "time an event waited for the fan-out thread");
        redisRoundTrip.write(out, "chat_redis_roundtrip_seconds", "round trips to Redis (the bus's probes)");
        return out.toString();
    }

    private static StringBuilder family(StringBuilder out, String name, String type, String help) {
        return out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        family(out, name, "counter", help).append(name).append(' ').append(value).append('\n');
    }

    /** A cumulative histogram of durations, in seconds. */
    static final class Histogram {
        private final double[] bounds;
        private final LongAdder[] counts;
        private final LongAdder count = new LongAdder();
        private final LongAdder sumNanos = new LongAdder();

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new LongAdder[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                counts[i] = new LongAdder();
            }
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < bounds.length; i++) {
                if (seconds <= bounds[i]) {
                    counts[i].increment();
                    break;
                }
            }
            count.increment();
            sumNanos.add(nanos);
        }

        void write(StringBuilder out, String name, String help) {
            family(out, name, "histogram", help);
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i].sum();
                out.append(name).append("_bucket{le=\"").append(java.math.BigDecimal.valueOf(bounds[i]).stripTrailingZeros().toPlainString()).append("\"} ").append(cumulative).append('\n');
            }
            long n = count.sum();
            out.append(name).append("_bucket{le=\"+Inf\"} ").append(n).append('\n')
                    .append(name).append("_sum ").append(sumNanos.sum() / 1e9).append('\n')
                    .append(name).append("_count ").append(n).append('\n');
        }
    }
}
