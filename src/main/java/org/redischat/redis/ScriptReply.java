package org.redischat.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A script's answer as named fields ({@code fields.lua}): a name and its value, repeated; a name ending
 * in {@code []} is followed by a count and that many values. A refusal is the field {@code error}.
 * Values are read as text, whether Redis answered them as strings or integers.
 */
public final class ScriptReply {

    private final Map<String, String> values = new HashMap<>();
    private final Map<String, List<String>> lists = new HashMap<>();

    private ScriptReply() {
    }

    /** Reads a script's answer; IllegalArgumentException when it is not in that form. */
    public static ScriptReply of(List<Object> raw) {
        ScriptReply reply = new ScriptReply();
        int i = 0;
        while (i < raw.size()) {
            String name = String.valueOf(raw.get(i++));
            if (i >= raw.size()) {
                throw new IllegalArgumentException("field " + name + " has no value");
            }
            if (name.endsWith("[]")) {
                int count = Integer.parseInt(String.valueOf(raw.get(i++)));
                if (count < 0 || i + count > raw.size()) {
                    throw new IllegalArgumentException("list " + name + " of " + count + " runs past the answer");
                }
                List<String> list = new ArrayList<>(count);
                for (int end = i + count; i < end; i++) {
                    list.add(String.valueOf(raw.get(i)));
                }
                reply.lists.put(name.substring(0, name.length() - 2), list);
            } else {
                reply.values.put(name, String.valueOf(raw.get(i++)));
            }
        }
        return reply;
    }

    /** The refusal's code, or null when the script did what was asked. */
    public String error() {
        return values.get("error");
    }

    /** The field's value; null when the answer has no such field. */
    public String text(String name) {
        return values.get(name);
    }

    /** The field's value as a number; IllegalArgumentException when absent. */
    public long number(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no field " + name);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return (long) Double.parseDouble(v); // a sorted set's score, such as 1.0e+20
        }
    }

    /** Whether the field is {@code 1}. */
    public boolean flag(String name) {
        return "1".equals(values.get(name));
    }

    /** The list field's values; empty when the answer has no such field. */
    public List<String> list(String name) {
        return lists.getOrDefault(name, List.of());
    }
}
