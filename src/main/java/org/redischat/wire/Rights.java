package org.redischat.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What each rank may do in a room: the one table of rights ({@code rights.json}), which the scripts
 * that check rights read ({@code ranks.lua}), the HTTP resources ask, and {@code welcome} sends to
 * clients so that they show what the server allows rather than a copy of its rules.
 *
 * <p>{@code ranks} lists the ranks from lowest to highest ({@code member}, {@code moderator},
 * {@code owner}, {@code admin}: a server administrator, in every room). A user may take an action when
 * their rank is at least its {@code least}; an action on another member also needs the target's rank
 * below the action's {@code below} ({@code actor}: below the actor's own rank).
 */
public record Rights(List<String> ranks, Map<String, Rule> actions) {

    /** The least rank that may take an action, and (for an action on a member) the rank its target must be below. */
    public record Rule(String least, String below) {
    }

    /** The table, as {@code rights.json} holds it. */
    public static final Rights TABLE = load();

    private static String read() {
        try (InputStream in = Rights.class.getResourceAsStream("rights.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Rights load() {
        return Json.read(read(), Rights.class);
    }

    /** The rank of a role in a room ({@code owner}, {@code moderator}; anything else: a member), or of a server administrator. */
    public int rank(String role, boolean admin) {
        int r = ranks.indexOf(admin ? "admin" : role);
        return r < 0 ? ranks.indexOf("member") : r;
    }

    /** Whether {@code rank} may take {@code action} (on a target of {@code target}'s rank; -1: no target). */
    public boolean may(String action, int rank, int target) {
        Rule rule = actions.get(action);
        if (rule == null || rank < ranks.indexOf(rule.least())) {
            return false;
        }
        if (target < 0 || rule.below() == null) {
            return true;
        }
        return target < ("actor".equals(rule.below()) ? rank : ranks.indexOf(rule.below()));
    }
}
