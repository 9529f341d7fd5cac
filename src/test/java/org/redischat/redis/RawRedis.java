package org.redischat.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One command to a real Redis over a socket of its own, outside any Redisson client, for the commands
 * a test uses to look at or cut Redisson's connections (CLIENT LIST, CLIENT KILL).
 */
final class RawRedis {

    private RawRedis() {
    }

    /** The reply: a simple string, an integer (":n"), an error ("-ERR ..."), a bulk string's text, or an array's elements one per line. */
    static String command(URI redis, String... args) throws IOException {
        try (Socket s = new Socket(redis.getHost(), redis.getPort())) {
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                request.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
        }
    }

    /** One reply; an array's elements one per line. */
    private static String reply(BufferedReader in) throws IOException {
        String header = in.readLine();
        if (header.startsWith("*")) {
            StringBuilder all = new StringBuilder();
            for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
                all.append(reply(in)).append('\n');
            }
            return all.toString();
        }
        if (!header.startsWith("$")) {
            return header;
        }
        int length = Integer.parseInt(header.substring(1));
        if (length < 0) {
            return "";
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        in.readLine(); // the CRLF after the bulk string
        return new String(body, 0, read);
    }
}
