package org.redischat.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy that can make connections die silently: between a node and Redis, after
 * {@link #freezeSubscribers()} it swallows, in both directions, the traffic of every connection
 * that has sent SUBSCRIBE, and keeps those connections open — nothing is closed, nothing errs; the
 * node only stops hearing from its subscriber. Between a client and a node, {@link #freezeAll()}
 * does the same to every connection: a peer whose network vanished without a FIN, and
 * {@link #freezeReplies()} to the way back only. Connections opened later pass untouched, to the
 * port given by {@link #retarget(int)} if it was called.
 */
final class FreezingProxy implements AutoCloseable {

    private final ServerSocket server;
    private volatile int target;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    final AtomicInteger frozen = new AtomicInteger();

    private FreezingProxy(int target) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        Thread accept = new Thread(this::accept, "proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    static FreezingProxy to(int redisPort) throws IOException {
        return new FreezingProxy(redisPort);
    }

    String address() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    /** The port clients connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** From now on, every connection open now carries nothing more, and stays open. */
    void freezeAll() {
        for (Link l : links) {
            if (!l.frozen) {
                l.frozen = true;
                frozen.incrementAndGet();
            }
        }
    }

    /**
     * From now on, every connection open now stops carrying what the target sends back (acks, for a
     * chat client), while what the client sends still reaches the target; nothing is closed.
     */
    void freezeReplies() {
        links.forEach(l -> l.repliesFrozen = true);
    }

    /** Connections opened from now on go to another port (another node behind the same address). */
    void retarget(int port) {
        target = port;
    }

    /** From now on, every connection that subscribed carries nothing more, and stays open. */
    void freezeSubscribers() {
        for (Link l : links) {
            if (l.subscriber && !l.frozen) {
                l.frozen = true;
                frozen.incrementAndGet();
            }
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException redisDown) {
                    client.close();
                    continue;
                }
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client.getInputStream(), upstream.getOutputStream(), true);
                pump(link, upstream.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                // the proxy is closing, or Redis is down: the node sees a refused or dropped connection
            }
        }
    }

    private void pump(Link link, InputStream in, OutputStream out, boolean fromNode) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            String tail = "";
            try {
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    if (fromNode && !link.subscriber) {
                        String seen = tail + new String(buf, 0, n, StandardCharsets.ISO_8859_1).toUpperCase(Locale.ROOT);
                        link.subscriber = seen.contains("SUBSCRIBE");
                        tail = seen.substring(Math.max(0, seen.length() - 16));
                    }
                    if (!link.frozen && (fromNode || !link.repliesFrozen)) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            }
            link.close();
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        links.forEach(Link::close);
    }

    private static final class Link {
        final Socket client;
        final Socket upstream;
        volatile boolean subscriber;
        volatile boolean frozen;
        volatile boolean repliesFrozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void close() {
            try {
                client.close();
                upstream.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
