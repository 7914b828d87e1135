/**
 * Vertex AI: Gemini ({@code vertex}, protocol {@link io.aistream.provider.vertex.VertexGeminiProtocol})
 * and Claude ({@code vertex-anthropic}, protocol
 * {@link io.aistream.provider.vertex.VertexAnthropicProtocol}) on Google Cloud.
 *
 * <p><b>Environment.</b> Both providers appear when {@code VERTEX_PROJECT} and a credential are set:
 * <ul>
 *   <li>{@code GOOGLE_APPLICATION_CREDENTIALS}: the path of a service-account key file (JSON with
 *       {@code type: service_account}, {@code client_email}, {@code private_key} (PKCS#8 PEM),
 *       {@code private_key_id}, {@code token_uri}); or</li>
 *   <li>{@code VERTEX_ACCESS_TOKEN}: a ready OAuth access token (it is not refreshed; for short
 *       sessions, e.g. {@code gcloud auth print-access-token}).</li>
 *   <li>{@code VERTEX_LOCATION}: {@code global} (the default: {@code aiplatform.googleapis.com}),
 *       {@code us} / {@code eu} ({@code aiplatform.{us,eu}.rep.googleapis.com}) or a region {@code r}
 *       ({@code r-aiplatform.googleapis.com}).</li>
 * </ul>
 * In a config file: {@code "protocol": "vertex"} or {@code "vertex-anthropic"} with the settings
 * {@code project}, {@code location}, {@code credentialsFile} (or {@code apiKey} / {@code apiKeyEnv}
 * for a ready token), and optionally {@code baseUrl}: a base URL on another host than
 * {@code aiplatform.googleapis.com} is used as it is (a proxy, a private endpoint, a test server);
 * the default one follows the location.
 *
 * <p><b>Service-account tokens.</b> The provider signs a JWT with the account's key (RS256;
 * {@code iss} = the account, {@code scope} = {@code cloud-platform}, {@code aud} = {@code token_uri},
 * one hour), exchanges it at {@code token_uri} for an access token, and shares that token among all
 * its streams until five minutes before it expires; one refresh runs at a time, the other requests
 * wait for it. The key file is read on the first request. A refused exchange is an
 * {@code authentication} error naming the token endpoint's error, never the key; a 401 from Vertex
 * drops the cached token. A dry run ({@code toDryRunRequest}) fetches nothing and shows the
 * placeholder {@code Bearer <oauth-access-token>}.
 *
 * <p><b>Requests and streams.</b> Gemini on Vertex takes the Gemini API's body and stream; Claude on
 * Vertex the Anthropic Messages body without {@code model} and with {@code anthropic_version:
 * vertex-2023-10-16}, and Anthropic's stream. Both reuse the Gemini and Anthropic mappers and
 * decoders, reasoning state included (sources {@code google} and {@code anthropic}).
 */
package io.aistream.provider.vertex;
