package org.redischat.wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * docs/asyncapi.yaml for the tests: the document checked against the AsyncAPI 3.0.0 JSON Schema, and
 * frames checked against its {@code ClientFrame} and {@code ServerFrame} schemas (JSON Schema draft 7,
 * networknt's validator).
 */
public final class AsyncApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
    private static final JsonNode DOCUMENT = load();
    private static final JsonSchema SERVER_FRAME = frameSchema("ServerFrame");
    private static final JsonSchema CLIENT_FRAME = frameSchema("ClientFrame");

    private AsyncApi() {
    }

    private static JsonNode load() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("docs", "asyncapi.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A schema that is one of the document's component schemas, its references resolved within the document. */
    private static JsonSchema frameSchema(String name) {
        ObjectNode root = DOCUMENT.deepCopy();
        root.put("$ref", "#/components/schemas/" + name);
        return SCHEMAS.getSchema(root);
    }

    /**
     * Every {@code $ref} of the document that points at nothing in it (empty: all resolve), as the
     * AsyncAPI parser and code generators resolve them; the specification's JSON Schema does not look.
     */
    public static Set<String> unresolvedReferences() {
        Set<String> missing = new java.util.TreeSet<>();
        collectRefs(DOCUMENT, missing);
        return missing;
    }

    private static void collectRefs(JsonNode node, Set<String> missing) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String r = ref.asText();
                if (!r.startsWith("#") || DOCUMENT.at(r.substring(1)).isMissingNode()) {
                    missing.add(r);
                }
            }
            node.elements().forEachRemaining(child -> collectRefs(child, missing));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectRefs(child, missing));
        }
    }

    /** What the AsyncAPI 3.0.0 schema finds wrong with the document (empty: valid). */
    public static Set<String> documentProblems() {
        try (InputStream in = AsyncApi.class.getResourceAsStream("/asyncapi/asyncapi-3.0.0-schema.json")) {
            JsonSchema spec = SCHEMAS.getSchema(JSON.readTree(in));
            return messages(spec.validate(DOCUMENT));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with a frame the server sent, by the document (empty: it is a valid ServerFrame). */
    public static Set<String> serverFrameProblems(String frame) {
        return problems(SERVER_FRAME, frame);
    }

    /** What is wrong with a frame a client sends, by the document (empty: it is a valid ClientFrame). */
    public static Set<String> clientFrameProblems(String frame) {
        return problems(CLIENT_FRAME, frame);
    }

    private static Set<String> problems(JsonSchema schema, String frame) {
        try {
            return messages(schema.validate(JSON.readTree(frame)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> messages(Set<ValidationMessage> found) {
        return found.stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }
}
