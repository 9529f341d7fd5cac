package org.redischat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;

import jakarta.json.JsonObject;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ProtocolIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.builtWar();
    }

    @ArquillianResource
    URL url;

    URI base() throws Exception {
        return url.toURI();
    }

    @Test
    void aMessageReachesAnotherMember() throws Exception {
        String alice = Api.newName("alice");
        String bob = Api.newName("bob");
        String room = Api.newName("r");
        try (ChatClient a = ChatClient.connect(base(), Api.signUp(base(), alice));
                ChatClient b = ChatClient.connect(base(), Api.signUp(base(), bob))) {
            a.request("{\"type\":\"join\",\"room\":\"" + room + "\"}", "joined");
            b.request("{\"type\":\"join\",\"room\":\"" + room + "\"}", "joined");
            JsonObject ack = a.request("{\"type\":\"send\",\"room\":\"" + room + "\",\"text\":\"hi\",\"ref\":\"c-1\"}", "ack");
            assertEquals(1, ack.getInt("id"));
            JsonObject m = b.await(f -> "message".equals(f.getString("type")));
            assertEquals("hi", m.getString("text"));
            assertEquals(alice, m.getString("from"));
        }
    }
}
