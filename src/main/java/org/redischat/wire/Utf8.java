package org.redischat.wire;

/** The UTF-8 size of text, counted without encoding it (frames and stored messages are sized by it). */
public final class Utf8 {

    private Utf8() {
    }

    public static long length(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 || Character.isSurrogate(c) ? 1 : 2; // a surrogate pair: 2 chars, 4 bytes
            }
        }
        return n;
    }

    /** The UTF-8 size of the string as a JSON string literal ({@link Json#string}), quotes included: what storing it costs. */
    public static long jsonLength(String s) {
        long n = length(s) + 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
                n += 1;
            } else if (c < 0x20) {
                n += 5;
            }
        }
        return n;
    }
}
