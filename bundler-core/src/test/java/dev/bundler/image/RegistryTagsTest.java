package dev.bundler.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import dev.bundler.testkit.PlainHttpServer;
import dev.bundler.testkit.SelfSignedTls;
import java.io.IOException;
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
 * with the login, pages linked by {@code Link}), and where the login may go: only to the
 * registry's own origin and the token service it names, never to another host a page or a
 * redirect points at, never over plain HTTP without the opt-in. Against registries served here
 * (HTTPS with a self-signed certificate, as a local registry has; plain HTTP); the basic-auth
 * flow against a real docker-registry is in {@link ImageToolsIT}.
 */
class RegistryTagsTest {
  private static final String BASIC =
      "Basic " + Base64.getEncoder().encodeToString("ci:t0ken".getBytes(StandardCharsets.UTF_8));

  private HttpServer registry;
  private HttpServer other;
  private String host;
  private String otherHost;
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  /** Every Authorization header the other host received (null for none). */
  private final List<String> otherSaw = new CopyOnWriteArrayList<>();
  /** How the registry answers the authorized first page: the page, or a redirect. */
  private volatile Map<String, String> firstPageHeaders;
  private volatile int firstPageStatus = 200;

  @BeforeEach
  void serve() throws IOException {
    registry = SelfSignedTls.server();
    host = "127.0.0.1:" + registry.getAddress().getPort();
    other = SelfSignedTls.server();
    otherHost = "127.0.0.1:" + other.getAddress().getPort();
    firstPageHeaders = Map.of("Link", "</v2/team/app/tags/list?n=2&last=1.0>; rel=\"next\"");
    registry.createContext("/token", exchange -> {
      tokenRequests.add(exchange.getRequestURI().getQuery());
      boolean good = BASIC.equals(exchange.getRequestHeaders().getFirst("Authorization"))
          && exchange.getRequestURI().getQuery().contains("scope=repository:team/app:pull");
      respond(exchange, good ? 200 : 401, good ? "{\"token\":\"T0K\"}" : "{}", Map.of());
    });
    registry.createContext("/v2/team/app/tags/list", exchange -> {
      if (!"Bearer T0K".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        respond(exchange, 401, "{}", Map.of("WWW-Authenticate", "Bearer realm=\"https://" + host
            + "/token\",service=\"test-registry\",scope=\"repository:team/app:pull\""));
      } else if (exchange.getRequestURI().getQuery() == null) {
        respond(exchange, firstPageStatus, "{\"name\":\"team/app\",\"tags\":[\"1.0\",\"0.9\"]}",
            firstPageHeaders);
      } else {
        respond(exchange, 200, "{\"name\":\"team/app\",\"tags\":[\"2.0\"]}", Map.of());
      }
    });
    registry.createContext("/v2/team/moved/tags/list", exchange -> respond(exchange, 200,
        "{\"tags\":[\"3.0\"]}", Map.of()));
    other.createContext("/", exchange -> {
      otherSaw.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      respond(exchange, 200, "{\"tags\":[\"planted\"]}", Map.of());
    });
    registry.start();
    other.start();
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
    registry.stop(0);
    other.stop(0);
  }

  private RegistryTags tags(String password) {
    return new RegistryTags(Map.of(host, new RegistryCredentials("ci", password)), true);
  }

  @Test
  void followsTheBearerChallengeAndThePages() throws Exception {
    assertThat(tags("t0ken").list(host + "/team/app:ignored")).containsExactly("0.9", "1.0", "2.0");
    assertThat(tokenRequests).singleElement().asString().contains("service=test-registry");

    assertThatThrownBy(() -> tags("wrong").list(host + "/team/app"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("<server> with id " + host)
        .hasMessageNotContaining("wrong");
  }

  @Test
  void aSelfSignedCertificateIsRefusedWithoutAllowInsecureRegistries() {
    assertThatThrownBy(() -> new RegistryTags(Map.of(host, new RegistryCredentials("ci", "t0ken")),
            false).list(host + "/team/app"))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining(Parameter.ALLOW_INSECURE_REGISTRIES.withValue("true"));
    assertThat(tokenRequests).isEmpty();
  }

  @Test
  void aPageLinkedOnAnotherHostIsNotFollowedAndGetsNoLogin() {
    firstPageHeaders = Map.of("Link", "<https://" + otherHost
        + "/v2/team/app/tags/list?n=2&last=1.0>; rel=\"next\"");
    assertThatThrownBy(() -> tags("t0ken").list(host + "/team/app"))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("linked its next page of tags to another host (https://" + otherHost + ")");
    assertThat(otherSaw).as("requests that reached the other host").isEmpty();
  }

  @Test
  void aRedirectToAnotherHostIsNotFollowedAndOneOnTheRegistryIs() throws Exception {
    firstPageStatus = 307;
    firstPageHeaders = Map.of("Location", "https://" + otherHost + "/v2/team/app/tags/list");
    assertThatThrownBy(() -> tags("t0ken").list(host + "/team/app"))
        .isInstanceOf(EnvironmentException.class)
        .hasMessageContaining("redirected to another host (https://" + otherHost + ")");
    assertThat(otherSaw).as("requests that reached the other host").isEmpty();

    firstPageHeaders = Map.of("Location", "/v2/team/moved/tags/list");
    assertThat(tags("t0ken").list(host + "/team/app")).containsExactly("3.0");
  }

  @Test
  void aTokenServiceOverPlainHttpGetsNoLoginWithoutTheOptIn() throws Exception {
    try (PlainHttpServer tokens = PlainHttpServer.start(request ->
        new PlainHttpServer.Response(200, Map.of(), "{\"token\":\"T0K\"}"))) {
      registry.removeContext("/v2/team/app/tags/list");
      registry.createContext("/v2/team/app/tags/list", exchange -> respond(exchange, 401, "{}",
          Map.of("WWW-Authenticate", "Bearer realm=\"http://" + tokens.host() + "/token\"")));
      assertThatThrownBy(() -> tags("t0ken").list(host + "/team/app"))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.SEND_CREDENTIALS_OVER_HTTP))
          .hasMessageContaining("over plain HTTP (http://" + tokens.host() + "/token)");
      assertThat(tokens.requests()).isEmpty();
    }
  }

  /**
   * A registry that speaks only plain HTTP: HTTPS is tried first and fails, then HTTP is asked,
   * without the login, unless the user opted in; without allowInsecureRegistries, HTTP not at all.
   */
  @Test
  void aRegistryRetriedOverPlainHttpGetsTheLoginOnlyWithTheOptIn() throws Exception {
    try (PlainHttpServer plain = PlainHttpServer.start(request ->
        BASIC.equals(request.header("Authorization"))
            ? new PlainHttpServer.Response(200, Map.of(), "{\"tags\":[\"1.0\"]}")
            : new PlainHttpServer.Response(401,
                Map.of("WWW-Authenticate", "Basic realm=\"registry\""), "{}"))) {
      Map<String, RegistryCredentials> login =
          Map.of(plain.host(), new RegistryCredentials("ci", "t0ken"));

      assertThatThrownBy(() -> new RegistryTags(login, false).list(plain.host() + "/team/app"))
          .isInstanceOf(EnvironmentException.class)
          .hasMessageContaining(Parameter.ALLOW_INSECURE_REGISTRIES.withValue("true"));
      assertThat(plain.requests()).as("plain HTTP requests without allowInsecureRegistries").isEmpty();

      assertThatThrownBy(() -> new RegistryTags(login, true).list(plain.host() + "/team/app"))
          .isInstanceOfSatisfying(InvalidInputException.class,
              e -> assertThat(e.parameter()).contains(Parameter.SEND_CREDENTIALS_OVER_HTTP))
          .hasMessageContaining(Parameter.SEND_CREDENTIALS_OVER_HTTP.withValue("true"))
          .hasMessageNotContaining("t0ken");
      assertThat(plain.tlsAttempts()).as("HTTPS tried first").isPositive();
      assertThat(plain.requests()).isNotEmpty()
          .allSatisfy(request -> assertThat(request.header("Authorization")).isNull());

      assertThat(new RegistryTags(login, true, true).list(plain.host() + "/team/app"))
          .containsExactly("1.0");
      assertThat(plain.requests()).anySatisfy(
          request -> assertThat(request.header("Authorization")).isEqualTo(BASIC));
    }
  }
}
