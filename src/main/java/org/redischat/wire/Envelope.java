package org.redischat.wire;

/**
 * The one format of what travels on the bus between nodes, written by the scripts and by Java alike
 * and taken apart here only. Version 1 is a header line, a newline, and a body:
 * <pre>
 * 1 message &lt;room&gt; &lt;epoch&gt; &lt;id&gt;\n&lt;the client's message frame&gt;
 * 1 changed &lt;room&gt; &lt;change number&gt;\n&lt;the client's changed frame&gt;   (a message edited, deleted, reacted to)
 * 1 &lt;kind&gt;\n&lt;the {@link Event} as JSON&gt;
 * </pre>
 * A {@code message} or {@code changed} carries the frame a script built once for every socket of every
 * node, and its header what a node needs to know of it, so a node delivers it without a JSON parser;
 * the header's fields hold no space (room names, epochs and numbers cannot). Anything else is an
 * {@link Event} read with JSON-B. What is not in this form (another version, no header) is not read
 * (see {@link Unreadable}).
 */
public final class Envelope {

    /** The version this node writes and reads. */
    public static final String VERSION = "1";

    private static final String MESSAGE_HEAD = VERSION + " message ";
    private static final String CHANGED_HEAD = VERSION + " changed ";

    private Envelope() {
    }

    /** What a node takes out of one published event. */
    public sealed interface Read permits Delivery, Changed, Other, Unreadable {
    }

    /** A message's new state and the room's change number it took, ready to write to the room's sockets as it is. */
    public record Changed(String room, long change, String frame) implements Read {
    }

    /** A stored message, ready to write to sockets as it is. */
    public record Delivery(String room, String epoch, long id, String frame) implements Read {
    }

    /** Any other event. */
    public record Other(Event event) implements Read {
    }

    /** Not in a form this node reads: another version, or a damaged header. */
    public record Unreadable(String reason) implements Read {
    }

    /** An event other than a message, ready to publish. */
    public static String of(Event e) {
        return head(e.kind()) + Json.write(e);
    }

    /** The header of an event of this kind, for a script that appends the body. */
    public static String head(String kind) {
        return VERSION + " " + kind + "\n";
    }

    /**
     * The start of a message's header up to the room, for the append script, which appends
     * {@code <epoch> <id>\n} and the frame.
     */
    public static String messageHead(String room) {
        return MESSAGE_HEAD + room + " ";
    }

    /**
     * The start of the header of a message's new state, for the scripts that change it, which append
     * {@code <change number>\n} and the frame.
     */
    public static String changedHead(String room) {
        return CHANGED_HEAD + room + " ";
    }

    /** The event in an envelope that holds no message; IllegalArgumentException for anything else. */
    public static Event event(String raw) {
        if (read(raw) instanceof Other o) {
            return o.event();
        }
        throw new IllegalArgumentException("not an event other than a message: " + raw);
    }

    /** Takes one published event apart; JSON-B's exception if a body is not JSON. */
    public static Read read(String raw) {
        int nl = raw.indexOf('\n');
        if (nl < 0) {
            return new Unreadable("no header line");
        }
        if (raw.startsWith(MESSAGE_HEAD)) {
            return message(raw, nl);
        }
        if (raw.startsWith(CHANGED_HEAD)) {
            return changed(raw, nl);
        }
        int space = raw.indexOf(' ');
        if (space < 0 || space > nl || !raw.startsWith(VERSION + " ")) {
            return new Unreadable("version " + raw.substring(0, space < 0 || space > nl ? nl : space) + " (this node reads " + VERSION + ")");
        }
        Event e = Json.read(raw.substring(nl + 1), Event.class);
        if (!raw.substring(space + 1, nl).equals(e.kind())) {
            return new Unreadable("header " + raw.substring(0, nl) + " does not match its body's kind " + e.kind());
        }
        return new Other(e);
    }

    private static Read changed(String raw, int nl) {
        int roomEnd = raw.indexOf(' ', CHANGED_HEAD.length());
        if (roomEnd < 0 || roomEnd > nl || roomEnd == CHANGED_HEAD.length()) {
            return new Unreadable("changed header " + raw.substring(0, nl));
        }
        try {
            long change = Long.parseLong(raw, roomEnd + 1, nl, 10);
            return new Changed(raw.substring(CHANGED_HEAD.length(), roomEnd), change, raw.substring(nl + 1));
        } catch (NumberFormatException e) {
            return new Unreadable("changed header " + raw.substring(0, nl));
        }
    }

    private static Read message(String raw, int nl) {
        int roomEnd = raw.indexOf(' ', MESSAGE_HEAD.length());
        int epochEnd = roomEnd < 0 ? -1 : raw.indexOf(' ', roomEnd + 1);
        if (roomEnd < 0 || epochEnd < 0 || epochEnd > nl || roomEnd == MESSAGE_HEAD.length()) {
            return new Unreadable("message header " + raw.substring(0, nl));
        }
        long id;
        try {
            id = Long.parseLong(raw, epochEnd + 1, nl, 10);
        } catch (NumberFormatException e) {
            return new Unreadable("message header " + raw.substring(0, nl));
        }
        return new Delivery(raw.substring(MESSAGE_HEAD.length(), roomEnd), raw.substring(roomEnd + 1, epochEnd), id,
                raw.substring(nl + 1));
    }
}
