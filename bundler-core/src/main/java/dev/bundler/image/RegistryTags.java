package dev.bundler.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import dev.bundler.BundlerException;
import dev.bundler.EnvironmentException;
import dev.bundler.InvalidInputException;
import dev.bundler.Parameter;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The tags of a repository in a registry ({@code GET /v2/NAME/tags/list}, following {@code Link}
 * pages), logged in with HTTP basic credentials or the bearer token the registry's challenge asks
 * for. jib-core has no public call for this.
 *
 * <p>The login goes only to the registry's own origin (scheme, host and port) and to the token
 * service its challenge names; pages and redirects elsewhere are refused. HTTPS is tried first;
 * with {@code allowInsecureRegistries} a registry that does not speak TLS is asked again over
 * plain HTTP, without the login unless the user opted in to sending it over HTTP (jib-core's
 * {@code sendCredentialsOverHttp} rule).
 */
public final class RegistryTags {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CHALLENGE_PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
  private static final String OPT_IN = Parameter.SEND_CREDENTIALS_OVER_HTTP.withValue("true");

  private final RegistryLogins logins;
  private final boolean allowInsecure;
  private final boolean sendCredentialsOverHttp;

  /** A client that never sends credentials over plain HTTP. */
  public RegistryTags(Map<String, RegistryCredentials> credentials, boolean allowInsecure) {
    this(credentials, allowInsecure, false);
  }

  /**
   * @param allowInsecure plain HTTP (without credentials) and self-signed certificates allowed
   * @param sendCredentialsOverHttp the login may also go over plain HTTP (explicit opt-in)
   */
  public RegistryTags(Map<String, RegistryCredentials> credentials, boolean allowInsecure,
      boolean sendCredentialsOverHttp) {
    this.logins = new RegistryLogins(credentials);
    this.allowInsecure = allowInsecure;
    this.sendCredentialsOverHttp = sendCredentialsOverHttp;
  }

  /**
   * The tags of the repository {@code reference} names (any tag or digest in it is ignored),
   * sorted.
   *
   * @throws InvalidInputException for a bad reference, an unknown repository or a refused login
   * @throws EnvironmentException when the registry cannot be reached, or sends pages or
   *     redirects to another host
   */
  public List<String> list(String reference) throws BundlerException {
    ImageReference image;
    try {
      image = ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw new InvalidInputException(Parameter.IMAGE, "'" + reference + "' is not a valid image "
          + "reference: set " + Parameter.IMAGE + " to a repository such as HOST:PORT/team/app",
          e);
    }
    String registry = image.getRegistry();
    String repository = image.getRepository();
    RegistryHttp http = new RegistryHttp(allowInsecure, sendCredentialsOverHttp);
    String path = "://" + registry + "/v2/" + repository + "/tags/list";
    try {
      try {
        return fetch(http, URI.create("https" + path), registry, repository);
      } catch (IOException e) {
        if (!allowInsecure || !speaksNoTls(e, registry)) {
          throw unreachable(registry, "https", e);
        }
      }
      try {
        return fetch(http, URI.create("http" + path), registry, repository);
      } catch (IOException e) {
        throw unreachable(registry, "http", e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EnvironmentException("Interrupted while listing the tags of " + reference, e);
    }
  }

  /**
   * As jib-core: plain HTTP is worth a try when TLS failed, or when nothing listens on HTTPS's
   * default port (the reference named no port).
   */
  private static boolean speaksNoTls(IOException e, String registry) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SSLException) {
        return true;
      }
      if (cause instanceof ConnectException && !registry.contains(":")) {
        return true;
      }
    }
    return false;
  }

  private EnvironmentException unreachable(String registry, String scheme, IOException e) {
    return new EnvironmentException("Cannot reach the registry " + registry + " (" + scheme
        + "): " + e.getMessage() + ". Check its address" + (allowInsecure ? ""
            : "; for plain HTTP or a self-signed certificate set "
                + Parameter.ALLOW_INSECURE_REGISTRIES.withValue("true")), e);
  }

  private List<String> fetch(RegistryHttp http, URI first, String registry, String repository)
      throws BundlerException, IOException, InterruptedException {
    TreeSet<String> tags = new TreeSet<>();
    String authorization = null;
    URI next = first;
    while (next != null) {
      HttpResponse<String> response = http.get(next, authorization);
      if (response.statusCode() == 401 && authorization == null) {
        authorization = authorize(http, response, first, registry, repository);
        response = http.get(next, authorization);
      }
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        throw refused(registry, repository);
      }
      if (response.statusCode() == 404) {
        throw new InvalidInputException(Parameter.IMAGE, "The registry " + registry + " has no "
            + "repository " + repository + ": check " + Parameter.IMAGE + " (or "
            + Parameter.NAMESPACE.named() + ")");
      }
      if (response.statusCode() != 200) {
        throw new EnvironmentException("The registry " + registry + " answered "
            + response.statusCode() + " to " + RegistryHttp.withoutQuery(next));
      }
      tags(response.body(), registry).forEach(tags::add);
      next = nextPage(response, next, registry);
    }
    return new ArrayList<>(tags);
  }

  private static List<String> tags(String body, String registry) throws EnvironmentException {
    JsonNode list;
    try {
      list = JSON.readTree(body).path("tags");
    } catch (JsonProcessingException e) {
      throw new EnvironmentException("The registry " + registry + " answered the tags list with "
          + "something that is not JSON: is it a registry?");
    }
    List<String> tags = new ArrayList<>();
    list.forEach(tag -> tags.add(tag.asText()));
    return tags;
  }

  /** The {@code Link} header's next page, refused unless it is on the registry's own origin. */
  private static URI nextPage(HttpResponse<String> response, URI current, String registry)
      throws EnvironmentException {
    String link = response.headers().firstValue("Link").orElse(null);
    Matcher m = link == null ? null : NEXT.matcher(link);
    if (m == null || !m.find()) {
      return null;
    }
    URI next;
    try {
      next = current.resolve(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new EnvironmentException("The registry " + registry + " linked its next page of "
          + "tags to something that is not a URL");
    }
    if (!RegistryHttp.sameOrigin(current, next)) {
      throw new EnvironmentException("The registry " + registry + " linked its next page of tags "
          + "to another host (" + RegistryHttp.origin(next) + "): bundler follows pages only on "
          + "the registry's own host, so that its login reaches no other");
    }
    return next;
  }

  /** The Authorization header the registry's challenge asks for, from the configured login. */
  private String authorize(RegistryHttp http, HttpResponse<String> challenged, URI registryUri,
      String registry, String repository)
      throws BundlerException, IOException, InterruptedException {
    RegistryCredentials login = logins.forRegistry(registry);
    String basic = login == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (login.username() + ":" + login.password()).getBytes(StandardCharsets.UTF_8));
    String challenge = challenged.headers().firstValue("WWW-Authenticate").orElse("");
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      if (basic == null) {
        throw refused(registry, repository);
      }
      requireCredentialsAllowed(http, registryUri, registry);
      return basic;
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6)) {
      throw refused(registry, repository);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    Matcher m = CHALLENGE_PARAMETER.matcher(challenge);
    while (m.find()) {
      parameters.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
    }
    String realm = parameters.get("realm");
    if (realm == null) {
      throw new EnvironmentException("The registry " + registry + " asked for a token without a realm");
    }
    StringBuilder url = new StringBuilder(realm).append(realm.contains("?") ? '&' : '?')
        .append("scope=").append(encode("repository:" + repository + ":pull"));
    if (parameters.containsKey("service")) {
      url.append("&service=").append(encode(parameters.get("service")));
    }
    URI tokenService;
    try {
      tokenService = URI.create(url.toString());
    } catch (IllegalArgumentException e) {
      throw new EnvironmentException("The registry " + registry + " named a token service that "
          + "is not a URL");
    }
    if (basic != null) {
      requireCredentialsAllowed(http, tokenService, registry);
    }
    // The registry names its token service, often on another host: the login goes there (over
    // HTTPS, or HTTP only with the opt-in), and only the token it gives goes to the registry.
    HttpResponse<String> token = http.get(tokenService, basic);
    if (token.statusCode() != 200) {
      throw refused(registry, repository);
    }
    String value;
    try {
      JsonNode body = JSON.readTree(token.body());
      value = body.hasNonNull("token") ? body.get("token").asText()
          : body.path("access_token").asText(null);
    } catch (JsonProcessingException e) {
      value = null;
    }
    if (value == null) {
      throw new EnvironmentException("The token service of " + registry + " returned no token");
    }
    return "Bearer " + value;
  }

  /** Refuses to go on where the login would travel over plain HTTP without the opt-in. */
  private static void requireCredentialsAllowed(RegistryHttp http, URI uri, String registry)
      throws InvalidInputException {
    if (!http.sendsCredentialsTo(uri)) {
      throw new InvalidInputException(Parameter.SEND_CREDENTIALS_OVER_HTTP, "The registry "
          + registry + " asks for a login over plain HTTP (" + RegistryHttp.withoutQuery(uri)
          + "), where anyone on the way could read it: bundler sends it there only with "
          + OPT_IN + ". Prefer HTTPS for the registry");
    }
  }

  private InvalidInputException refused(String registry, String repository) {
    return logins.refused(registry + "/" + repository, "to list the tags of", Parameter.IMAGE,
        null);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
