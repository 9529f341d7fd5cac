package org.redischat.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.redischat.wire.Rights;

/**
 * The one table of rights (wire/rights.json): what it allows, and that the scripts (ranks.lua, in a
 * real Redis) and Java read it alike for every action, rank and target.
 */
class RightsTest {

    private static final Rights R = Rights.TABLE;
    private static final int MEMBER = R.rank("member", false), MODERATOR = R.rank("moderator", false),
            OWNER = R.rank("owner", false), ADMIN = R.rank(null, true);

    @Test
    void theTableSaysWhoMayDoWhat() {
        assertEquals(MEMBER, R.rank(null, false), "no role: a member");
        assertTrue(R.may("invite", MEMBER, -1));
        assertFalse(R.may("invite_banned", MEMBER, -1));
        assertFalse(R.may("set_topic", MEMBER, -1));
        assertTrue(R.may("set_topic", MODERATOR, -1));
        assertTrue(R.may("webhooks", MODERATOR, -1));
        assertFalse(R.may("remove", MEMBER, MEMBER), "a member removes no one");
        assertTrue(R.may("ban", MODERATOR, MEMBER));
        assertFalse(R.may("ban", MODERATOR, MODERATOR), "not an equal");
        assertTrue(R.may("remove", OWNER, MODERATOR));
        assertTrue(R.may("delete", ADMIN, OWNER), "an administrator over the owner");
        assertFalse(R.may("delete", MODERATOR, OWNER));
        assertTrue(R.may("set_role", OWNER, MODERATOR));
        assertFalse(R.may("set_role", MODERATOR, MEMBER), "the owner only");
        assertFalse(R.may("set_role", ADMIN, OWNER), "no one changes the owner's role");
        assertFalse(R.may("no_such_action", ADMIN, -1));
    }

    @Test
    void theScriptsReadTheTableAsJavaDoes() {
        LuaScript check = LuaScript.of(LuaScript.libraries("/org/redischat/wire/rights.json", "ranks.lua")
                + "local out = {}\n"
                + "for i = 1, #ARGV, 3 do\n"
                + "  local t = ARGV[i + 2] ~= '' and tonumber(ARGV[i + 2]) or nil\n"
                + "  out[#out + 1] = may(ARGV[i], tonumber(ARGV[i + 1]), t) and '1' or '0'\n"
                + "end\n"
                + "return out\n");
        List<Object> args = new ArrayList<>();
        List<Object> expected = new ArrayList<>();
        for (String action : R.actions().keySet()) {
            for (int rank = 0; rank < R.ranks().size(); rank++) {
                for (int target = -1; target < R.ranks().size(); target++) {
                    args.addAll(List.of(action, String.valueOf(rank + 1), target < 0 ? "" : String.valueOf(target + 1)));
                    expected.add(R.may(action, rank, target) ? "1" : "0");
                }
            }
        }
        assertEquals(expected, check.run(TestRedis.client(), List.of(TestRedis.unique("rights")), args.toArray()),
                "Lua ranks count from 1, Java's from 0");
    }
}
