package org.redischat.it;

import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;
import static org.redischat.it.Frames.send;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * One fuzzing socket for {@link HostileInputIT}: valid frames mutated at random, and frames no valid
 * client sends; after each close it reconnects. Counts what the node answered, by type and error
 * code, and keeps every answer that is not a JSON frame with a type as an anomaly.
 */
final class Fuzzer {
    private final URI base;
    private final Random random;
    private final String token;
    private final String room;
    private final Map<String, AtomicLong> outcomes;
    private final List<String> anomalies;
    private final AtomicLong sent;

    Fuzzer(URI base, Random random, String token, String room, Map<String, AtomicLong> outcomes, List<String> anomalies,
            AtomicLong sent) {
        this.base = base;
        this.random = random;
        this.token = token;
        this.room = room;
        this.outcomes = outcomes;
        this.anomalies = anomalies;
        this.sent = sent;
    }

    void run(long end) throws Exception {
        while (System.nanoTime() < end) {
            try (RawSocket s = RawSocket.open(base, token)) {
                if (!s.upgraded()) {
                    count("handshake " + s.status);
                    Thread.sleep(100);
                    continue;
                }
                Thread reader = new Thread(() -> read(s));
                reader.setDaemon(true);
                reader.start();
                s.text(join(room));
                while (System.nanoTime() < end && reader.isAlive()) {
                    throwOne(s);
                    sent.incrementAndGet();
                    Thread.sleep(random.nextInt(4));
                }
                s.socket.close();
                reader.join(5000);
            } catch (IOException e) {
                count("write failed after a close");
            }
        }
    }

    private void read(RawSocket s) {
        try {
            for (RawSocket.Frame f = s.read(); f != null; f = s.read()) {
                if (f.opcode() == 0x8) {
                    count("closed " + f.closeCode());
                    return;
                }
                if (f.opcode() == 0x9 || f.opcode() == 0xA) {
                    continue; // the server's ping (unanswered here) or a pong
                }
                try {
                    JsonObject o = Json.createReader(new StringReader(f.text())).readObject();
                    String type = o.getString("type");
                    count("error".equals(type) ? "error " + o.getString("code") : type);
                } catch (RuntimeException notJson) {
                    anomalies.add(f.opcode() + ": " + f.text());
                }
            }
        } catch (IOException e) {
            // our own close of the socket
        }
    }

    private void count(String outcome) {
        outcomes.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    private static final String[] VALUES = {"null", "true", "-1", "0", "1e308", "1e999", "-0", "1.5",
        "123456789012345678901234567890", "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "\"😀\"", "[]", "{}",
        "[[[[[[[[[[]]]]]]]]]]", "{\"a\":{\"b\":{\"c\":{}}}}", "\"dm:aaa:zzz\"", "\"dm:zzz:aaa\"", "\"DM:X:Y\""};

    private String validFrame() {
        return switch (random.nextInt(7)) {
            case 0 -> join(room);
            case 1 -> send(room, "hello " + random.nextInt(), "r" + random.nextInt(100));
            case 2 -> of("type", "history", "room", room, "before", 1 + random.nextInt(50), "limit", 1 + random.nextInt(200));
            case 3 -> of("type", "leave", "room", room);
            case 4 -> of("type", "typing", "room", room);
            case 5 -> of("type", "read", "room", room, "id", random.nextInt(100));
            default -> of("type", "join", "room", room, "since", random.nextInt(20), "epoch", "0123456789abcdef");
        };
    }

    private String mutate(String json) {
        Matcher m = Pattern.compile(":(\"[^\"]*\"|-?[0-9.e]+)").matcher(json);
        List<int[]> values = new ArrayList<>();
        while (m.find()) {
            values.add(new int[] {m.start(1), m.end(1)});
        }
        switch (random.nextInt(8)) {
            case 0, 1 -> {
                if (!values.isEmpty()) {
                    int[] v = values.get(random.nextInt(values.size()));
                    return json.substring(0, v[0]) + VALUES[random.nextInt(VALUES.length)] + json.substring(v[1]);
                }
                return json;
            }
            case 2 -> {
                return json.substring(0, random.nextInt(json.length()));
            }
            case 3 -> {
                return json.replace("}", ",\"from\":\"admin\",\"type\":\"" + random.nextInt() + "\"}");
            }
            case 4 -> {
                char[] c = json.toCharArray();
                for (int i = 0; i < 3; i++) {
                    c[random.nextInt(c.length)] = (char) random.nextInt(128);
                }
                return new String(c);
            }
            case 5 -> {
                return json + json;
            }
            case 6 -> {
                return json.replace("\"type\"", "\"ty\\u0070e\"");
            }
            default -> {
                return "{\"type\":\"send\",\"room\":\"" + room + "\",\"ref\":\"big\",\"text\":\""
                        + "x".repeat(random.nextInt(6000)) + "\"}";
            }
        }
    }

    private void throwOne(RawSocket s) throws IOException {
        int pick = random.nextInt(100);
        if (pick < 70) {
            s.text(mutate(validFrame()));
        } else if (pick < 80) {
            s.text(validFrame());
        } else if (pick < 85) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            s.frame(0x2, true, junk); // binary
        } else if (pick < 89) {
            byte[] json = validFrame().getBytes(StandardCharsets.UTF_8);
            int cut = json.length / 2;
            s.frame(0x1, false, java.util.Arrays.copyOf(json, cut)); // fragmented: text, then continuation
            s.frame(0x0, true, java.util.Arrays.copyOfRange(json, cut, json.length));
        } else if (pick < 93) {
            s.frame(0x9, true, "are you there".getBytes(StandardCharsets.US_ASCII)); // a client's ping
        } else if (pick < 95) {
            s.frame(0xA, true, Long.toString(random.nextLong()).getBytes(StandardCharsets.US_ASCII)); // forged pong
        } else if (pick < 97) {
            byte[] junk = new byte[1 + random.nextInt(200)];
            random.nextBytes(junk);
            s.frame(0x1, true, junk); // text that is most likely not UTF-8: closes with 1007
        } else if (pick < 98) {
            s.frame(0x3 + random.nextInt(5), true, new byte[] {1}); // reserved opcode: protocol error
        } else {
            s.text("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"" + "y".repeat(70_000) + "\"}"); // 1009
        }
    }
}
