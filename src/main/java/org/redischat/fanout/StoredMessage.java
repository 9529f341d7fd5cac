package org.redischat.fanout;

/**
 * A {@code message} event as the append script publishes it, taken apart without a JSON parser: the
 * script writes {@code {"kind":"message","room":R,"epoch":"E","message":M}}, where {@code M} is the
 * stored message's JSON ({@code {"room":R,"id":N,...}}), so the client's {@code message} frame is
 * {@code M} with {@code "type":"message"} in front. One of these per event and node, instead of a
 * JSON-B read and write of every message.
 */
public record StoredMessage(String room, String epoch, long id, String frame) {

    private static final String HEAD = "{\"kind\":\"message\",\"room\":\"";
    private static final String EPOCH = "\",\"epoch\":\"";
    private static final String MESSAGE = "\",\"message\":";
    private static final String ID = "\",\"id\":";

    /** The event taken apart, or null when it is not in the script's form (then JSON-B reads it). */
    public static StoredMessage parse(String raw) {
        if (!raw.startsWith(HEAD) || !raw.endsWith("}}")) {
            return null;
        }
        int roomEnd = raw.indexOf('"', HEAD.length());
        if (roomEnd < 0 || raw.lastIndexOf('\\', roomEnd) >= HEAD.length() || !raw.startsWith(EPOCH, roomEnd)) {
            return null; // a room name with an escape: room names never have one, but JSON-B can read it
        }
        String room = raw.substring(HEAD.length(), roomEnd);
        int epochStart = roomEnd + EPOCH.length();
        int epochEnd = raw.indexOf('"', epochStart);
        if (epochEnd < 0 || !raw.startsWith(MESSAGE, epochEnd)) {
            return null;
        }
        int message = epochEnd + MESSAGE.length();
        String idPrefix = "{\"room\":\"" + room + ID;
        if (!raw.startsWith(idPrefix, message)) {
            return null;
        }
        int digits = message + idPrefix.length();
        int end = digits;
        while (end < raw.length() && end - digits < 19 && Character.isDigit(raw.charAt(end))) {
            end++;
        }
        if (end == digits || end >= raw.length() || raw.charAt(end) != ',') {
            return null;
        }
        long id = Long.parseLong(raw, digits, end, 10);
        String frame = "{\"type\":\"message\"," + raw.substring(message + 1, raw.length() - 1);
        return new StoredMessage(room, raw.substring(epochStart, epochEnd), id, frame);
    }
}
