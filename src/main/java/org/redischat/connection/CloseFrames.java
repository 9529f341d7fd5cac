package org.redischat.connection;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A server's close frame as bytes (RFC 6455 §5.5.1): unmasked, its code, its reason cut to fit. */
final class CloseFrames {

    /** A control frame's payload is at most 125 bytes: two for the code, the rest for the reason. */
    static final int MAX_REASON_BYTES = 123;

    private CloseFrames() {
    }

    static ByteBuffer encode(int code, String reason) {
        byte[] text = cut(reason == null ? "" : reason);
        ByteBuffer frame = ByteBuffer.allocate(4 + text.length);
        frame.put((byte) 0x88).put((byte) (2 + text.length)).putShort((short) code).put(text);
        return frame.flip();
    }

    /** The reason's UTF-8, cut at a character boundary to at most {@link #MAX_REASON_BYTES}. */
    private static byte[] cut(String reason) {
        byte[] all = reason.getBytes(StandardCharsets.UTF_8);
        if (all.length <= MAX_REASON_BYTES) {
            return all;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (all[end] & 0xC0) == 0x80) {
            end--; // all[end] continues a character that started before it
        }
        return java.util.Arrays.copyOf(all, end);
    }
}
