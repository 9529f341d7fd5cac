package org.redischat.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The load tool's WebSocket client (RFC 6455, text frames only): plain NIO sockets, many per
 * thread, so that the tool spends as little as it can of the CPU it shares with the servers.
 * {@code java.net.http}'s client costs ~35 µs per frame received here; this one a few.
 *
 * <p>A {@link Loop} thread connects, does the HTTP upgrade and reads all its sockets; each complete
 * text frame goes to the socket's listener on that thread. Pings are answered with a pong carrying
 * the same data, as the server's flow control expects. {@link #send} writes from the calling thread.
 */
final class LeanSocket {

    private static final int OPEN_TIMEOUT_SECONDS = 30;
    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final SocketChannel channel;
    private final Consumer<String> onText;
    private final CompletableFuture<LeanSocket> opened = new CompletableFuture<>();
    private final byte[] request;
    private byte[] in = new byte[4096];
    private int inLength;
    private boolean upgraded;
    /** A text message in fragments (opcode 0 continuations), null when none is under way. */
    private byte[] fragments;
    private volatile boolean closed;
    /** Why the server closed the socket (its close code and reason), null while it has not. */
    private volatile String closedBy;

    private LeanSocket(SocketChannel channel, URI uri, Consumer<String> onText) {
        this.channel = channel;
        this.onText = onText;
        byte[] key = new byte[16];
        ThreadLocalRandom.current().nextBytes(key);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        request = ("GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Sends one text frame (masked, as a client must). Safe from any thread. */
    void send(String text) {
        write(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The server's close code and reason, or how the connection ended; null while open or closed by us. */
    String closedBy() {
        return closedBy;
    }

    /** Closes the TCP connection without a closing handshake. */
    void abort() {
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private void write(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + 4 + n);
        frame.put((byte) (0x80 | opcode));
        if (n < 126) {
            frame.put((byte) (0x80 | n));
        } else if (n < 65536) {
            frame.put((byte) (0x80 | 126)).putShort((short) n);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(n);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < n; i++) {
            frame.put((byte) (payload[i] ^ mask[i & 3]));
        }
        frame.flip();
        try {
            writeAll(frame);
        } catch (IOException e) {
            abort();
        }
    }

    /** Writes the bytes whole (a frame, or the upgrade request), one writer at a time. */
    private void writeAll(ByteBuffer bytes) throws IOException {
        synchronized (this) {
            while (bytes.hasRemaining() && !closed) {
                if (channel.write(bytes) == 0) {
                    LockSupport.parkNanos(100_000); // the kernel's send buffer is full: the server is behind
                }
            }
        }
    }

    /** Bytes read from the socket: the upgrade response first, then frames. */
    private void received(byte[] data, int length) {
        if (inLength + length > in.length) {
            in = Arrays.copyOf(in, Math.max(in.length * 2, inLength + length));
        }
        System.arraycopy(data, 0, in, inLength, length);
        inLength += length;
        int at = upgraded ? 0 : upgrade();
        if (at < 0) {
            return;
        }
        while (true) {
            int used = frame(at);
            if (used == 0) {
                break;
            }
            at += used;
        }
        System.arraycopy(in, at, in, 0, inLength - at);
        inLength -= at;
    }

    /** Parses the upgrade response; returns where the frames begin, or -1 while it is incomplete. */
    private int upgrade() {
        int end = indexOf(in, inLength, HEADER_END);
        if (end < 0) {
            return -1;
        }
        String head = new String(in, 0, end, StandardCharsets.ISO_8859_1);
        String status = head.lines().findFirst().orElse("");
        if (!status.startsWith("HTTP/1.1 101")) {
            fail(new IOException("upgrade refused: " + status));
            return -1;
        }
        upgraded = true;
        opened.complete(this);
        return end + HEADER_END.length;
    }

    /** Handles the frame at {@code at}; returns its length, or 0 when it has not fully arrived. */
    private int frame(int at) {
        int available = inLength - at;
        if (available < 2) {
            return 0;
        }
        int b0 = in[at] & 0xff;
        int b1 = in[at + 1] & 0xff;
        int header = 2;
        long length = b1 & 0x7f;
        if (length == 126) {
            if (available < 4) {
                return 0;
            }
            length = ((in[at + 2] & 0xff) << 8) | (in[at + 3] & 0xff);
            header = 4;
        } else if (length == 127) {
            if (available < 10) {
                return 0;
            }
            length = ByteBuffer.wrap(in, at + 2, 8).getLong();
            header = 10;
        }
        boolean masked = (b1 & 0x80) != 0; // a server must not mask; unmasked here should it do so anyway
        if (masked) {
            header += 4;
        }
        if (available < header + length) {
            return 0;
        }
        int start = at + header;
        int n = (int) length;
        if (masked) {
            for (int i = 0; i < n; i++) {
                in[start + i] ^= in[start - 4 + (i & 3)];
            }
        }
        boolean fin = (b0 & 0x80) != 0;
        switch (b0 & 0x0f) {
            case 0x0, 0x1 -> text(start, n, fin);
            case 0x8 -> {
                closedBy = n < 2 ? "close without a code" : ((in[start] & 0xff) << 8 | (in[start + 1] & 0xff))
                        + " " + new String(in, start + 2, n - 2, StandardCharsets.UTF_8);
                write(0x8, Arrays.copyOfRange(in, start, start + Math.min(n, 2))); // echo the close code
                abort();
            }
            case 0x9 -> write(0xA, Arrays.copyOfRange(in, start, start + n));
            default -> { } // pongs and binary frames: nothing to do
        }
        return header + n;
    }

    /** A text frame or a continuation of one; the whole message goes to the listener. */
    private void text(int start, int n, boolean fin) {
        if (fin && fragments == null) {
            onText.accept(new String(in, start, n, StandardCharsets.UTF_8));
            return;
        }
        byte[] all = fragments == null ? new byte[0] : fragments;
        fragments = Arrays.copyOf(all, all.length + n);
        System.arraycopy(in, start, fragments, all.length, n);
        if (fin) {
            byte[] message = fragments;
            fragments = null;
            onText.accept(new String(message, StandardCharsets.UTF_8));
        }
    }

    private void fail(Throwable e) {
        abort();
        opened.completeExceptionally(e);
    }

    private static int indexOf(byte[] a, int length, byte[] b) {
        outer:
        for (int i = 0; i + b.length <= length; i++) {
            for (int j = 0; j < b.length; j++) {
                if (a[i + j] != b[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** One thread that connects and reads many sockets. */
    static final class Loop implements Runnable {
        private final Selector selector;
        private final Queue<LeanSocket> toRegister = new ConcurrentLinkedQueue<>();
        private final byte[] buffer = new byte[64 * 1024];
        private final ByteBuffer read = ByteBuffer.wrap(buffer);

        Loop(String name) {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread t = new Thread(this, name);
            t.setDaemon(true);
            t.start();
        }

        /** Opens a socket to a {@code ws://} URI; completes once the server has accepted the upgrade. */
        CompletableFuture<LeanSocket> open(URI uri, Consumer<String> onText) {
            LeanSocket s;
            try {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // small frames: no Nagle delay
                s = new LeanSocket(ch, uri, onText);
                ch.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
            toRegister.add(s);
            selector.wakeup();
            LeanSocket socket = s;
            return s.opened.orTimeout(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((ok, e) -> {
                if (e != null) {
                    socket.abort();
                }
            });
        }

        @Override
        public void run() {
            while (true) {
                try {
                    selector.select();
                    for (LeanSocket s; (s = toRegister.poll()) != null; ) {
                        try {
                            s.channel.register(selector, SelectionKey.OP_CONNECT, s);
                        } catch (IOException e) {
                            s.fail(e);
                        }
                    }
                    for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        ready(key, (LeanSocket) key.attachment());
                    }
                } catch (IOException | RuntimeException e) {
                    e.printStackTrace();
                }
            }
        }

        private void ready(SelectionKey key, LeanSocket s) {
            try {
                if (key.isConnectable()) {
                    s.channel.finishConnect();
                    key.interestOps(SelectionKey.OP_READ);
                    s.writeAll(ByteBuffer.wrap(s.request));
                    return;
                }
                if (key.isReadable()) {
                    while (true) {
                        read.clear();
                        int n = s.channel.read(read);
                        if (n < 0) {
                            if (s.closedBy == null && !s.closed) {
                                s.closedBy = "connection closed without a close frame";
                            }
                            s.fail(new IOException("closed by the server"));
                            return;
                        }
                        if (n == 0) {
                            return;
                        }
                        s.received(buffer, n);
                        if (n < buffer.length) {
                            return;
                        }
                    }
                }
            } catch (IOException | java.nio.channels.CancelledKeyException e) {
                s.fail(e);
            }
        }
    }
}
