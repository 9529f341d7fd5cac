package org.redischat.connection;

import java.nio.charset.StandardCharsets;

import org.redischat.tyrus.RawFrames;
import org.redischat.wire.Utf8;

/**
 * A text frame on its way to one or more sockets: its JSON, its UTF-8 size (counted once, for the
 * sockets' queue bounds), and, built on first use and then shared, the whole WebSocket frame as a
 * server sends it (unmasked, one fragment), for containers that take a frame's bytes as they are
 * ({@link RawFrames}). A room's event goes to every local member as the same object, so it is
 * encoded once per node instead of once per socket.
 */
final class OutFrame {

    private final String text;
    private final long bytes;
    private volatile byte[] wire;

    private OutFrame(String text, long bytes) {
        this.text = text;
        this.bytes = bytes;
    }

    static OutFrame of(String text) {
        return new OutFrame(text, Utf8.length(text));
    }

    String text() {
        return text;
    }

    /** The UTF-8 size of the text. */
    long bytes() {
        return bytes;
    }

    /** The frame's bytes on the wire: FIN and the text opcode, the payload's length, the payload. */
    byte[] wire() {
        byte[] w = wire;
        if (w == null) {
            w = encode(text.getBytes(StandardCharsets.UTF_8));
            wire = w;
        }
        return w;
    }

    static byte[] encode(byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
        byte[] w = new byte[header + n];
        w[0] = (byte) 0x81; // FIN, text
        if (n < 126) {
            w[1] = (byte) n;
        } else if (n < 65_536) {
            w[1] = 126;
            w[2] = (byte) (n >>> 8);
            w[3] = (byte) n;
        } else {
            w[1] = 127;
            for (int i = 0; i < 8; i++) {
                w[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, w, header, n);
        return w;
    }
}
