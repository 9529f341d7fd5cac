package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;

/** The API documents, read and validated as a client author's tools would. */
final class ApiDocuments {

    private ApiDocuments() {
    }

    /**
     * Fetches the OpenAPI document a node serves and validates it; fails on any message of the
     * validator. Payara 6 adds a top-level {@code endpoints} field of its own to every document (not
     * OpenAPI; later Payara versions name it {@code x-endpoints}): it is taken out before validating.
     */
    static OpenAPI openApi(URI url) throws Exception {
        Api.Reply r = Api.call(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20)).GET().build());
        assertEquals(200, r.status(), r.body());
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) yaml.readTree(r.body());
        document.remove("endpoints");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(yaml.writeValueAsString(document), null, options);
        assertTrue(result.getMessages() == null || result.getMessages().isEmpty(),
                "the validator's messages: " + result.getMessages() + "\n" + r.body());
        assertNotNull(result.getOpenAPI(), r.body());
        return result.getOpenAPI();
    }

    /** The component names of a record: the fields its JSON has. */
    static java.util.Set<String> fields(Class<?> record) {
        return java.util.Arrays.stream(record.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName)
                .collect(java.util.stream.Collectors.toSet());
    }
}
