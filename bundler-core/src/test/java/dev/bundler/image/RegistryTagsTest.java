package dev.bundler.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bundler.InvalidInputException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token flow of registries such as Docker Hub's (a bearer challenge, a token service asked
 * with the login, pages linked by {@code Link}), against a small registry served here; the
 * basic-auth flow is tested against a real docker-registry in {@link ImageToolsIT}.
 */
class RegistryTagsTest {
  private HttpServer server;
  private String host;
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    host = "127.0.0.1:" + server.getAddress().getPort();
    String basic = "Basic " + Base64.getEncoder().encodeToString("ci:t0ken".getBytes(StandardCharsets.UTF_8));
    server.createContext("/token", exchange -> {
      tokenRequests.add(exchange.getRequestURI().getQuery());
      boolean good = basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))
          && exchange.getRequestURI().getQuery().contains("scope=repository:team/app:pull");
      respond(exchange, good ? 200 : 401, good ? "{\"token\":\"T0K\"}" : "{}", Map.of());
    });
    server.createContext("/v2/team/app/tags/list", exchange -> {
      if (!"Bearer T0K".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, "{}", Map.of("WWW-Authenticate", "Bearer realm=\"http://" + host
            + "/token\",service=\"test-registry\",scope=\"repository:team/app:pull\""));
      } else if (exchange.getRequestURI().getQuery() == null) {
        respond(exchange, 200, "{\"name\":\"team/app\",\"tags\":[\"1.0\",\"0.9\"]}",
            Map.of("Link", "</v2/team/app/tags/list?n=2&last=1.0>; rel=\"next\""));
      } else {
        respond(exchange, 200, "{\"name\":\"team/app\",\"tags\":[\"2.0\"]}", Map.of());
      }
    });
    server.start();
  }

  private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void followsTheBearerChallengeAndThePages() throws Exception {
    RegistryTags tags = new RegistryTags(Map.of(host, new RegistryCredentials("ci", "t0ken")), true);
    assertThat(tags.list(host + "/team/app:ignored")).containsExactly("0.9", "1.0", "2.0");
    assertThat(tokenRequests).singleElement().asString().contains("service=test-registry");

    assertThatThrownBy(() -> new RegistryTags(Map.of(host, new RegistryCredentials("ci", "wrong")), true)
            .list(host + "/team/app"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("<server> with id " + host)
        .hasMessageNotContaining("wrong");
  }
}
