package io.steadfast.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.steadfast.config.Config;
import io.steadfast.support.Http;
import io.steadfast.support.TestNodes;
import io.steadfast.support.TestServer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Email over SMTP, against GreenMail: sent once with our Message-ID, held while the server is down, then sent. */
class SendEmailTest {
    static final int SMTP_PORT = startMail();
    static GreenMail mail;

    @RegisterExtension
    static final TestServer server = new TestServer(Map.of(
            Config.SMTP_HOST, "127.0.0.1",
            Config.SMTP_PORT, Integer.toString(SMTP_PORT),
            Config.EMAIL_FROM, "Orders@Shop.example",
            Config.PROVIDER_TIMEOUT_MS, "2000"));
    static final String OPERATOR = TestNodes.API_TOKEN;

    static int startMail() {
        mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        return mail.getSmtp().getPort();
    }

    @AfterAll
    static void stopMail() {
        mail.stop();
    }

    @BeforeEach
    void emptyTheMailbox() throws Exception {
        mail.purgeEmailFromAllMailboxes();
    }

    Http.Response send(String key, String json) {
        return server.http().post("/v1/messages", "application/json", json.getBytes(),
                "Authorization", "Bearer " + OPERATOR, "Idempotency-Key", key);
    }

    JsonNode awaitStatus(long id, String status) {
        await().atMost(Duration.ofSeconds(30)).until(() -> message(id).path("status").asText().equals(status));
        return message(id);
    }

    JsonNode message(long id) {
        return server.http().api("GET", "/v1/messages/" + id, null, OPERATOR).json();
    }

    static List<MimeMessage> received(String messageId) {
        return Arrays.stream(mail.getReceivedMessages()).filter(m -> {
            try {
                return messageId.equals(m.getMessageID());
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    @Test
    void an_email_is_sent_once_from_the_default_sender_with_our_message_id() throws Exception {
        Http.Response accepted = send("e-1", "{\"channel\": \"email\", \"to\": \"ana@example.com\", "
                + "\"subject\": \"Your order\", \"text\": \"It shipped today.\"}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        long id = accepted.json().path("id").asLong();
        assertThat(accepted.json().path("from").asText()).isEqualTo("orders@shop.example");

        JsonNode sent = awaitStatus(id, "sent");
        String messageId = sent.path("provider_message_id").asText();
        long business = server.db().count("SELECT id FROM business WHERE name = 'default'");
        assertThat(messageId).isEqualTo("<steadfast." + business + "." + id + "@shop.example>");
        List<MimeMessage> copies = received(messageId);
        assertThat(copies).hasSize(1);
        assertThat(copies.getFirst().getSubject()).isEqualTo("Your order");
        assertThat(((String) copies.getFirst().getContent()).trim()).isEqualTo("It shipped today.");
        assertThat(copies.getFirst().getFrom()[0].toString()).isEqualTo("orders@shop.example");
    }

    @Test
    void while_the_smtp_server_is_down_the_email_waits_and_is_sent_once_when_it_is_back() {
        mail.stop();
        long id;
        try {
            Http.Response accepted = send("e-down", "{\"channel\": \"email\", \"to\": \"bo@example.com\", "
                    + "\"subject\": \"Receipt\", \"text\": \"Thanks\"}");
            id = accepted.json().path("id").asLong();
            await().atMost(Duration.ofSeconds(15)).until(() -> message(id).path("note").asText().contains("cannot connect"));
            assertThat(message(id).path("status").asText()).isEqualTo("queued");
        } finally {
            mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            mail.start();
        }
        // the back-off after one refusal is about 2 s
        JsonNode sent = awaitStatus(id, "sent");
        assertThat(received(sent.path("provider_message_id").asText())).hasSize(1);
    }

    @Test
    void an_email_without_subject_or_with_a_bad_address_is_refused_and_nothing_is_sent() {
        assertThat(send("e-bad1", "{\"channel\": \"email\", \"to\": \"not-an-address\", \"subject\": \"x\", \"text\": \"x\"}")
                .json().path("message").asText()).startsWith("to ");
        assertThat(send("e-bad2", "{\"channel\": \"email\", \"to\": \"a@example.com\", \"text\": \"x\"}")
                .json().path("message").asText()).startsWith("subject ");
        assertThat(server.db().count("SELECT count(*) FROM outbound_message")).isZero();
        assertThat(mail.getReceivedMessages()).isEmpty();
    }
}
