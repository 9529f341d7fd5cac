package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.redischat.it.Frames.join;
import static org.redischat.it.Frames.of;
import static org.redischat.it.Frames.send;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

/**
 * Messages written on one node and read on another while Redis fails over under them: a writer
 * sends {@code count} messages under the send rate (resending with the same ref when a send is
 * refused), {@code kill} runs after the first 40; a reader socket must see every id once, in order,
 * or be closed and catch up with {@code since}. What Redis holds afterwards is compared with what
 * was acked.
 */
final class FailoverStream {

    /**
     * What happened: acked messages, how many of them Redis lost, refused sends, reader closes, and the
     * milliseconds from the kill to the first ack of a send made after it.
     */
    record Outcome(int acked, long lost, int refused, int closes, long ackedAgainMs) {
        @Override
        public String toString() {
            return acked + " acked, " + lost + " lost, " + refused + " sends refused and resent, reader closed "
                    + closes + " time(s), acked again " + ackedAgainMs + " ms after the kill";
        }
    }

    interface Kill {
        void run() throws Exception;
    }

    private static volatile String room;

    private FailoverStream() {
    }

    /** The room of the run in progress (for a kill that picks the master of its slot). */
    static String currentRoom() {
        return room;
    }

    static Outcome run(URI writerNode, URI readerNode, int count, Kill kill) throws Exception {
        String room = Api.newName("failover");
        FailoverStream.room = room;
        String writerToken = Api.signUp(writerNode, Api.newName("writer"));
        String readerToken = Api.signUp(readerNode, Api.newName("reader"));
        try (ChatClient writer = ChatClient.connect(writerNode, writerToken)) {
            String epoch = writer.request(join(room), "joined").getString("epoch");
            ChatClient reader = ChatClient.connect(readerNode, readerToken);
            reader.joined(join(room));
            List<Long> acked = new ArrayList<>();
            IdsInOrder ids = new IdsInOrder();
            int closes = 0;
            int refused = 0;
            boolean killed = false;
            long killedAt = 0;
            long ackedAgain = -1;
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            for (int i = 0; i < count; i++) {
                if (i == 40 && !killed) {
                    kill.run();
                    killed = true;
                    killedAt = System.nanoTime();
                }
                Thread.sleep(60); // under the send rate
                JsonObject answer = writer.request(send(room, "n" + i, "n" + i), "ack", Duration.ofSeconds(20));
                if (!"ack".equals(answer.getString("type"))) {
                    assertTrue(Set.of("internal", "rate_limited").contains(answer.getString("code")), answer.toString());
                    refused++;
                    assertTrue(System.nanoTime() < giveUp, "sends still refused after 3 minutes: " + answer);
                    Thread.sleep(200); // a promotion takes seconds: resend later with the same ref
                    i--;
                    continue;
                }
                acked.add(answer.getJsonNumber("id").longValue());
                if (killed && ackedAgain < 0) {
                    ackedAgain = (System.nanoTime() - killedAt) / 1_000_000;
                }
                for (JsonObject f : reader.drain()) {
                    if ("message".equals(f.getString("type"))) {
                        ids.live(f.getJsonNumber("id").longValue());
                    }
                }
                if (reader.closed.isDone()) {
                    closes++;
                    assertNotEquals(1000, reader.closed.join());
                    reader = ids.rejoin(readerNode, readerToken, room, epoch);
                }
            }
            long newest = acked.get(acked.size() - 1);
            while (ids.last < newest) {
                ids.live(reader.await(f -> "message".equals(f.getString("type")), Duration.ofSeconds(20))
                        .getJsonNumber("id").longValue());
            }
            reader.close();
            for (long id : acked) {
                assertTrue(ids.seen.contains(id), "acked message " + id + " was delivered");
            }
            JsonObject page = writer.request(of("type", "history", "room", room, "limit", 200), "history");
            List<Long> stored = page.getJsonArray("messages").getValuesAs(JsonObject.class).stream()
                    .map(m -> m.getJsonNumber("id").longValue()).toList();
            return new Outcome(acked.size(), acked.stream().filter(id -> !stored.contains(id)).count(), refused, closes,
                    ackedAgain);
        }
    }
}
