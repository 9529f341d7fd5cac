package org.redischat.wire;

/** A frame refused with one of docs/PROTOCOL.md's error codes; {@code ref} is echoed when valid. */
public class FrameException extends RuntimeException {

    private final String code;
    private final String ref;

    public FrameException(String code, String message, String ref) {
        super(message, null, false, false);
        this.code = code;
        this.ref = ref;
    }

    public static FrameException badRequest(String message, String ref) {
        return new FrameException("bad_request", message, ref);
    }

    public String code() {
        return code;
    }

    public String ref() {
        return ref;
    }

    public ServerFrame.Error toFrame() {
        return new ServerFrame.Error(code, getMessage(), ref);
    }
}
