package org.redischat.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket spoken byte by byte over a plain TCP socket, for what a well-behaved client never
 * does: frames with any opcode and any payload (invalid UTF-8 included), and not reading at all.
 */
final class RawSocket implements AutoCloseable {

    /** A frame as received: opcode and payload (for a close frame, the code is in the first two bytes). */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
    }

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final String status;

    private RawSocket(Socket socket, String status) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.status = status;
    }

    /** Opens TCP, sends the upgrade request, and reads the response head; {@link #status} is its first line. */
    static RawSocket open(URI base, String query, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()), 5000);
        s.setSoTimeout(20_000);
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String request = "GET " + base.getPath() + "ws" + (query == null ? "" : "?" + query) + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            head.append((char) c);
        }
        RawSocket raw = new RawSocket(s, head.toString().lines().findFirst().orElse(""));
        return raw;
    }

    static RawSocket open(URI base, String token) throws IOException {
        return open(base, "access_token=" + token, 0);
    }

    boolean upgraded() {
        return status.contains(" 101 ");
    }

    void text(String json) throws IOException {
        frame(0x1, true, json.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked frame, as a client must. */
    void frame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** The next frame from the server; null at the end of the stream. */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, payload);
    }

    /** Reads frames until a text frame containing {@code fragment}; fails at a close or the end. */
    Frame readText(String fragment) throws IOException {
        for (Frame f = read(); f != null; f = read()) {
            if (f.opcode() == 0x8) {
                throw new IOException("closed with " + f.closeCode() + " while waiting for " + fragment);
            }
            if (f.opcode() == 0x1 && f.text().contains(fragment)) {
                return f;
            }
        }
        throw new IOException("end of stream while waiting for " + fragment);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
