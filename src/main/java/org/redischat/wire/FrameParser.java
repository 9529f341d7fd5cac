package org.redischat.wire;

import java.io.StringReader;
import java.math.BigDecimal;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;


/**
 * Turns a text frame into a {@link ClientFrame}, or throws {@link FrameException} with
 * {@code bad_request} or {@code too_long}: the form checks of docs/PROTOCOL.md, before any rights,
 * one short method per frame type, so that the protocol's form rules can be read in one place.
 */
public final class FrameParser {

    public static final int DEFAULT_HISTORY_LIMIT = 50;
    public static final int MAX_HISTORY_LIMIT = 200;
    /** the longest room topic, in code points. */
    public static final int MAX_TOPIC = 200;
    /** a directory page's default and largest size. */
    public static final int DEFAULT_DIRECTORY_LIMIT = 20;
    public static final int MAX_DIRECTORY_LIMIT = 100;
    /** a page of banned users' default and largest size. */
    public static final int DEFAULT_BANS_LIMIT = 100;
    public static final int MAX_BANS_LIMIT = 500;
    /** the longest emoji of a reaction, in code points. */
    public static final int MAX_EMOJI = 8;
    private static final int MAX_REF = 64;
    private static final JsonProvider JSON = JsonProvider.provider();

    /** The default of {@code chat.text.max-bytes}: 4,000 code points of any script or emoji fit. */
    public static final int DEFAULT_TEXT_BYTES = 16_384;

    private final int maxText;
    private final long maxTextBytes;

    public FrameParser(int maxText) {
        this(maxText, DEFAULT_TEXT_BYTES);
    }

    /** {@code maxTextBytes}: the most bytes a text may take stored, as UTF-8 in a JSON string ({@link Utf8#jsonLength}). */
    public FrameParser(int maxText, long maxTextBytes) {
        this.maxText = maxText;
        this.maxTextBytes = maxTextBytes;
    }

    public ClientFrame parse(String text) {
        JsonObject o = object(text);
        String ref = ref(o);
        JsonValue type = o.get("type");
        if (!(type instanceof JsonString t)) {
            throw FrameException.badRequest("field 'type' must be a string", ref);
        }
        return switch (t.getString()) {
            case "join" -> join(o, ref);
            case "send" -> send(o, ref);
            case "history" -> history(o, ref);
            case "leave" -> new ClientFrame.Leave(room(o, ref), ref);
            case "typing" -> new ClientFrame.Typing(room(o, ref), ref);
            case "read" -> read(o, ref);
            case "ping" -> new ClientFrame.Ping(ref);
            case "invite", "remove", "ban", "unban", "set_role" -> moderate(t.getString(), o, ref);
            case "set_topic" -> topic(o, ref);
            case "bans" -> bans(o, ref);
            case "search" -> search(o, ref);
            case "thread" -> new ClientFrame.Thread(room(o, ref), id(o, ref), java.util.Objects.requireNonNullElse(optionalCount(o, "after", 0, ref), 0L),
                    limit(o, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, ref), ref);
            case "directory" -> directory(o, ref);
            case "edit" -> edit(o, ref);
            case "delete" -> new ClientFrame.Change("delete", room(o, ref), id(o, ref), null, ref);
            case "react" -> react(o, ref);
            case "changes" -> changes(o, ref);
            case "block", "unblock" -> new ClientFrame.Block(user(o, ref), t.getString().equals("block"), ref);
            default -> throw FrameException.badRequest("unknown type '" + abbreviate(t.getString()) + "'", ref);
        };
    }

    private static JsonObject object(String text) {
        try (var reader = JSON.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonObject o) {
                return o;
            }
            throw FrameException.badRequest("a frame must be a JSON object", null);
        } catch (FrameException e) {
            throw e;
        } catch (RuntimeException e) {
            // Parsson reports too deep nesting as a plain RuntimeException
            throw FrameException.badRequest("not valid JSON", null);
        } catch (StackOverflowError e) {
            throw FrameException.badRequest("JSON nested too deeply", null);
        }
    }

    /** A valid ref is echoed in every answer; an invalid one is a bad_request that cannot echo it. */
    private static String ref(JsonObject o) {
        JsonValue v = o.get("ref");
        if (v == null) {
            return null;
        }
        if (v instanceof JsonString s && wellFormed(s.getString())) {
            int n = s.getString().codePointCount(0, s.getString().length());
            if (n >= 1 && n <= MAX_REF) {
                return s.getString();
            }
        }
        throw FrameException.badRequest("'ref' must be a string of 1-64 characters", null);
    }

    private ClientFrame join(JsonObject o, String ref) {
        String room = room(o, ref);
        Long since = optionalCount(o, "since", 0, ref);
        JsonValue epoch = o.get("epoch");
        if (epoch != null && !(epoch instanceof JsonString)) {
            throw FrameException.badRequest("'epoch' must be a string", ref);
        }
        String e = since == null || epoch == null ? null : ((JsonString) epoch).getString();
        JsonValue makePrivate = o.get("private");
        if (makePrivate != null && makePrivate != JsonValue.TRUE && makePrivate != JsonValue.FALSE) {
            throw FrameException.badRequest("'private' must be true or false", ref);
        }
        JsonValue invite = o.get("invite");
        if (invite != null && !(invite instanceof JsonString s && s.getString().length() <= 200)) {
            throw FrameException.badRequest("'invite' must be a join link's invitation", ref);
        }
        return new ClientFrame.Join(room, since, e, ref, makePrivate == JsonValue.TRUE,
                invite == null ? null : ((JsonString) invite).getString());
    }

    private static String user(JsonObject o, String ref) {
        JsonValue v = o.get("user");
        return (v instanceof JsonString s ? Username.normalize(s.getString()) : java.util.Optional.<String>empty())
                .orElseThrow(() -> FrameException.badRequest("'user' must be a username", ref));
    }

    private static ClientFrame moderate(String action, JsonObject o, String ref) {
        String room = room(o, ref);
        String user = user(o, ref);
        String role = null;
        if (action.equals("set_role")) {
            JsonValue r = o.get("role");
            role = r instanceof JsonString s ? s.getString() : null;
            if (!"moderator".equals(role) && !"member".equals(role)) {
                throw FrameException.badRequest("'role' must be \"moderator\" or \"member\"", ref);
            }
        }
        return new ClientFrame.Moderate(action, room, user, role, ref);
    }

    private ClientFrame send(JsonObject o, String ref) {
        String room = room(o, ref);
        return new ClientFrame.Send(room, text(o, ref), ref, optionalCount(o, "thread", 1, ref));
    }

    private ClientFrame edit(JsonObject o, String ref) {
        String room = room(o, ref);
        long id = id(o, ref);
        return new ClientFrame.Change("edit", room, id, text(o, ref), ref);
    }

    private static ClientFrame react(JsonObject o, String ref) {
        String room = room(o, ref);
        long id = id(o, ref);
        JsonValue v = o.get("emoji");
        String emoji = v instanceof JsonString s ? s.getString() : "";
        int n = emoji.codePointCount(0, emoji.length());
        if (n < 1 || n > MAX_EMOJI || !wellFormed(emoji)
                || emoji.codePoints().anyMatch(c -> isSpace(c) || Character.isISOControl(c))) {
            throw FrameException.badRequest("'emoji' must be 1-" + MAX_EMOJI + " characters without white space", ref);
        }
        return new ClientFrame.Change("react", room, id, emoji, ref);
    }

    private static ClientFrame changes(JsonObject o, String ref) {
        String room = room(o, ref);
        Long after = optionalCount(o, "after", 0, ref);
        if (after == null) {
            throw FrameException.badRequest("'after' is required", ref);
        }
        return new ClientFrame.Changes(room, after, limit(o, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, ref), ref);
    }

    /** A message's id: required, at least 1. */
    private static long id(JsonObject o, String ref) {
        Long id = optionalCount(o, "id", 1, ref);
        if (id == null) {
            throw FrameException.badRequest("'id' is required", ref);
        }
        return id;
    }

    /** A message's text: a string, well-formed, not blank, at most the longest text. */
    /** The {@code text} of an object, checked as a {@code send}'s (a webhook's post); else {@link FrameException}. */
    public String textOf(JsonObject o) {
        return text(o, null);
    }

    private String text(JsonObject o, String ref) {
        JsonValue v = o.get("text");
        if (!(v instanceof JsonString s)) {
            throw FrameException.badRequest("'text' must be a string", ref);
        }
        String text = s.getString();
        if (!wellFormed(text)) {
            throw FrameException.badRequest("'text' is not valid Unicode (an unpaired surrogate escape)", ref);
        }
        if (isBlank(text)) {
            throw FrameException.badRequest("'text' is empty", ref);
        }
        if (text.codePointCount(0, text.length()) > maxText) {
            throw new FrameException("too_long", "'text' is over " + maxText + " characters", ref);
        }
        if (Utf8.jsonLength(text) > maxTextBytes) {
            throw new FrameException("too_long", "'text' takes over " + maxTextBytes + " bytes as stored", ref);
        }
        return text;
    }

    private static ClientFrame history(JsonObject o, String ref) {
        String room = room(o, ref);
        Long before = optionalCount(o, "before", 1, ref);
        return new ClientFrame.History(room, before, limit(o, DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT, ref), ref);
    }

    private static ClientFrame read(JsonObject o, String ref) {
        String room = room(o, ref);
        Long id = optionalCount(o, "id", 0, ref);
        if (id == null) {
            throw FrameException.badRequest("'id' is required", ref);
        }
        return new ClientFrame.Read(room, id, ref);
    }

    private static ClientFrame topic(JsonObject o, String ref) {
        String room = room(o, ref);
        JsonValue v = o.get("topic");
        if (!(v instanceof JsonString s) || !wellFormed(s.getString())) {
            throw FrameException.badRequest("'topic' must be a string", ref);
        }
        String topic = strip(s.getString());
        if (topic.codePointCount(0, topic.length()) > MAX_TOPIC) {
            throw new FrameException("too_long", "'topic' is over " + MAX_TOPIC + " characters", ref);
        }
        return new ClientFrame.SetTopic(room, topic, ref);
    }

    private static ClientFrame directory(JsonObject o, String ref) {
        String prefix = "";
        JsonValue p = o.get("prefix");
        if (p != null) {
            if (!(p instanceof JsonString s)) {
                throw FrameException.badRequest("'prefix' must be a string", ref);
            }
            prefix = s.getString().toLowerCase(java.util.Locale.ROOT);
            if (!prefix.isEmpty() && !RoomName.normalize(prefix).isPresent()) {
                throw FrameException.badRequest("'prefix' must be the start of a room name", ref);
            }
        }
        String after = optionalName(o, "after", RoomName::normalize, "a room name", ref);
        return new ClientFrame.Directory(prefix, after, limit(o, DEFAULT_DIRECTORY_LIMIT, MAX_DIRECTORY_LIMIT, ref), ref);
    }

    private static ClientFrame bans(JsonObject o, String ref) {
        String room = room(o, ref);
        String after = optionalName(o, "after", Username::normalize, "a username", ref);
        return new ClientFrame.Bans(room, after, limit(o, DEFAULT_BANS_LIMIT, MAX_BANS_LIMIT, ref), ref);
    }

    /** The longest search text (code points), the most words in it, a search's most results. */
    public static final int MAX_SEARCH_TEXT = 200;
    public static final int MAX_SEARCH_WORDS = 10;
    public static final int DEFAULT_SEARCH_LIMIT = 20;
    public static final int MAX_SEARCH_LIMIT = 50;

    private static ClientFrame search(JsonObject o, String ref) {
        String room = o.containsKey("room") ? room(o, ref) : null;
        JsonValue t = o.get("text");
        if (t != null && !(t instanceof JsonString)) {
            throw FrameException.badRequest("'text' must be a string", ref);
        }
        String text = t == null ? "" : ((JsonString) t).getString();
        if (text.codePointCount(0, text.length()) > MAX_SEARCH_TEXT) {
            throw new FrameException("too_long", "'text' is over " + MAX_SEARCH_TEXT + " characters", ref);
        }
        java.util.List<String> words = words(text);
        if (words.size() > MAX_SEARCH_WORDS) {
            throw FrameException.badRequest("search for at most " + MAX_SEARCH_WORDS + " words", ref);
        }
        String from = optionalName(o, "from", Username::normalize, "a username", ref);
        if (words.isEmpty() && from == null) {
            throw FrameException.badRequest("search for words ('text') or an author ('from')", ref);
        }
        Long start = optionalCount(o, "start", 0, ref);
        Long end = optionalCount(o, "end", 0, ref);
        JsonValue c = o.get("cursor");
        if (c != null && !(c instanceof JsonString s && SearchCursor.parse(s.getString()).isPresent())) {
            throw FrameException.badRequest("'cursor' must be one a search answered", ref);
        }
        return new ClientFrame.Search(room, words, from, start, end, limit(o, DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, ref),
                c == null ? null : ((JsonString) c).getString(), ref);
    }

    /** The words of a search text: split at white space, lower case in ASCII (as the script compares), no repeats. */
    static java.util.List<String> words(String text) {
        java.util.List<String> words = new java.util.ArrayList<>();
        for (String w : text.strip().split("[\\s\\u00a0\\u2000-\\u200a\\u202f\\u205f\\u3000]+")) {
            String lower = asciiLower(w);
            if (!lower.isEmpty() && !words.contains(lower)) {
                words.add(lower);
            }
        }
        return words;
    }

    private static String asciiLower(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return b.toString();
    }

    /** A page's {@code limit}: 1 to {@code max}, {@code byDefault} when absent. */
    private static int limit(JsonObject o, int byDefault, int max, String ref) {
        Long limit = optionalCount(o, "limit", 1, ref);
        if (limit != null && limit > max) {
            throw FrameException.badRequest("'limit' must be 1-" + max, ref);
        }
        return limit == null ? byDefault : limit.intValue();
    }

    /** An optional name, normalized ({@code what} for the error: "a room name"); null when absent. */
    private static String optionalName(JsonObject o, String field, java.util.function.Function<String, java.util.Optional<String>> normalize,
            String what, String ref) {
        JsonValue v = o.get(field);
        if (v == null) {
            return null;
        }
        return (v instanceof JsonString s ? normalize.apply(s.getString()) : java.util.Optional.<String>empty())
                .orElseThrow(() -> FrameException.badRequest("'" + field + "' must be " + what, ref));
    }

    private static String room(JsonObject o, String ref) {
        JsonValue v = o.get("room");
        if (!(v instanceof JsonString s)) {
            throw FrameException.badRequest("'room' must be a string", ref);
        }
        return RoomName.normalize(s.getString())
                .orElseThrow(() -> FrameException.badRequest("invalid room name", ref));
    }

    /** An optional integer field that must be at least {@code min}; null when absent. */
    private static Long optionalCount(JsonObject o, String field, long min, String ref) {
        JsonValue v = o.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof JsonNumber n) {
            // look at the digits before converting: 1e999999999 must not become a BigInteger
            BigDecimal d = n.bigDecimalValue();
            if (d.scale() <= 0 && d.precision() - d.scale() <= 18 && d.longValue() >= min) {
                return d.longValue();
            }
        }
        throw FrameException.badRequest("'" + field + "' must be an integer of at least " + min, ref);
    }

    private static boolean isBlank(String text) {
        return text.codePoints().allMatch(FrameParser::isSpace);
    }

    /**
     * White space wherever the protocol names it (a blank text, a topic's ends, an emoji): Unicode's
     * space separators, non-breaking ones included, line and paragraph separators, and tab, line feed,
     * vertical tab, form feed, carriage return and U+001C-U+001F.
     */
    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /** The string without white space ({@link #isSpace}) at either end. */
    static String strip(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isSpace(s.codePointAt(from))) {
            from += Character.charCount(s.codePointAt(from));
        }
        while (to > from && isSpace(s.codePointBefore(to))) {
            to -= Character.charCount(s.codePointBefore(to));
        }
        return s.substring(from, to);
    }

    /** At most 32 code points of what a client sent, safe to echo (unpaired surrogates replaced). */
    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        int points = 0;
        for (int i = 0; i < s.length() && points < 32; points++) {
            int cp = s.codePointAt(i);
            b.appendCodePoint(Character.isSurrogate((char) cp) && Character.charCount(cp) == 1 ? 0xFFFD : cp);
            i += Character.charCount(cp);
        }
        return b.length() < s.length() ? b + "…" : b.toString();
    }

    /**
     * False when the string holds an unpaired surrogate, which JSON's {@code \\u} escapes can
     * produce: such a string cannot be encoded as UTF-8, so it could be neither stored nor sent.
     */
    static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
