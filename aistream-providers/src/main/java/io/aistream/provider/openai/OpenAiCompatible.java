package io.aistream.provider.openai;

import io.aistream.provider.spi.ProviderConfig;
import io.aistream.request.Reasoning.Effort;
import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenAI-compatible Chat Completions servers {@link OpenAiChatProtocol} knows, each with its
 * defaults and request quirks. The stream decoder is the same for all of them: it understands every
 * preset's response quirks at once (DeepSeek {@code reasoning_content}, OpenRouter {@code reasoning},
 * Mistral content arrays, Azure filter chunks, ...).
 *
 * <p>Per preset (base URL; auth; output-limit field; usage; reasoning; assistant prefill):
 * <ul>
 *   <li>{@link #OPENAI}: {@code https://api.openai.com/v1}; Bearer; {@code max_completion_tokens};
 *       {@code stream_options.include_usage}; effort as {@code reasoning_effort} (all levels), a token
 *       budget is rejected; no prefill.</li>
 *   <li>{@link #AZURE_OPENAI}: no default base URL (it names your resource); {@code api-key} header;
 *       URL {@code {baseUrl}/openai/deployments/{deployment}/chat/completions?api-version=...} from
 *       the settings {@code deployment} (default: the request's model) and {@code apiVersion}
 *       (default {@value OpenAiChatProtocol#DEFAULT_AZURE_API_VERSION}); {@code apiVersion=v1} selects
 *       the newer {@code {baseUrl}/openai/v1/chat/completions}. Otherwise as OpenAI.</li>
 *   <li>{@link #DEEPSEEK}: {@code https://api.deepseek.com}; Bearer; {@code max_tokens}; usage arrives on
 *       the finish chunk; no reasoning knob (pick {@code deepseek-reasoner}), so effort and budget are
 *       rejected; no image input; prefill via {@code prefix: true} on the trailing assistant message,
 *       which DeepSeek serves on its {@code /beta} path (appended automatically).</li>
 *   <li>{@link #OPENROUTER}: {@code https://openrouter.ai/api/v1}; Bearer (settings {@code referer} and
 *       {@code title} become {@code HTTP-Referer}/{@code X-Title}); {@code max_tokens}; reasoning as
 *       {@code reasoning: {effort}} or {@code reasoning: {max_tokens}}; no prefill.</li>
 *   <li>{@link #MISTRAL}: {@code https://api.mistral.ai/v1}; Bearer; {@code max_tokens}; no
 *       {@code stream_options} (usage rides on the finish chunk anyway); reasoning is chosen by model
 *       (Magistral), so effort and budget are rejected; prefill via {@code prefix: true}.</li>
 *   <li>{@link #GROQ}: {@code https://api.groq.com/openai/v1}; Bearer; {@code max_completion_tokens};
 *       effort low/medium/high as {@code reasoning_effort}.</li>
 *   <li>{@link #TOGETHER}: {@code https://api.together.xyz/v1}; Bearer; {@code max_tokens}; usage on the
 *       last chunk without asking; effort low/medium/high.</li>
 *   <li>{@link #XAI}: {@code https://api.x.ai/v1}; Bearer; {@code max_completion_tokens}; effort low or
 *       high only.</li>
 *   <li>{@link #VLLM}: {@code http://localhost:8000/v1}; Bearer only if a key is configured;
 *       {@code max_tokens}; effort low/medium/high; prefill via {@code continue_final_message}.</li>
 *   <li>{@link #LMSTUDIO}: {@code http://localhost:1234/v1}; optional Bearer; {@code max_tokens}; effort
 *       low/medium/high.</li>
 *   <li>{@link #LLAMACPP}: {@code http://localhost:8080/v1}; optional Bearer; {@code max_tokens}; no
 *       per-request reasoning control; continues a trailing assistant message natively.</li>
 *   <li>{@link #OLLAMA_OPENAI}: {@code http://localhost:11434/v1}; optional Bearer; {@code max_tokens};
 *       effort low/medium/high.</li>
 * </ul>
 * Every preset takes {@code temperature}, {@code top_p}, {@code stop}, tools and tool choice.
 */
public enum OpenAiCompatible {
    OPENAI(spec("openai")
            .baseUrl("https://api.openai.com/v1")
            .apiKeyEnv("OPENAI_API_KEY")
            .maxTokensField("max_completion_tokens")
            .efforts(EnumSet.allOf(Effort.class))),
    AZURE_OPENAI(spec("azure-openai")
            .apiKeyEnv("AZURE_OPENAI_API_KEY")
            .auth(Auth.AZURE_API_KEY)
            .maxTokensField("max_completion_tokens")
            .efforts(EnumSet.allOf(Effort.class))),
    DEEPSEEK(spec("deepseek")
            .baseUrl("https://api.deepseek.com")
            .apiKeyEnv("DEEPSEEK_API_KEY")
            .noImages()
            .prefill(Prefill.PREFIX_FLAG_ON_BETA_PATH)),
    OPENROUTER(spec("openrouter")
            .baseUrl("https://openrouter.ai/api/v1")
            .apiKeyEnv("OPENROUTER_API_KEY")
            .reasoning(ReasoningStyle.OPENROUTER_OBJECT)
            .efforts(EnumSet.allOf(Effort.class))),
    MISTRAL(spec("mistral")
            .baseUrl("https://api.mistral.ai/v1")
            .apiKeyEnv("MISTRAL_API_KEY")
            .noStreamOptions()
            .toolResultName()
            .prefill(Prefill.PREFIX_FLAG)),
    GROQ(spec("groq")
            .baseUrl("https://api.groq.com/openai/v1")
            .apiKeyEnv("GROQ_API_KEY")
            .maxTokensField("max_completion_tokens")
            .efforts(EnumSet.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH))),
    TOGETHER(spec("together")
            .baseUrl("https://api.together.xyz/v1")
            .apiKeyEnv("TOGETHER_API_KEY")
            .noStreamOptions()
            .efforts(EnumSet.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH))),
    XAI(spec("xai")
            .baseUrl("https://api.x.ai/v1")
            .apiKeyEnv("XAI_API_KEY")
            .maxTokensField("max_completion_tokens")
            .efforts(EnumSet.of(Effort.LOW, Effort.HIGH))),
    VLLM(spec("vllm")
            .baseUrl("http://localhost:8000/v1")
            .optionalKey()
            .efforts(EnumSet.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH))
            .prefill(Prefill.CONTINUE_FINAL_MESSAGE)),
    LMSTUDIO(spec("lmstudio")
            .baseUrl("http://localhost:1234/v1")
            .optionalKey()
            .efforts(EnumSet.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH))),
    LLAMACPP(spec("llamacpp").baseUrl("http://localhost:8080/v1").optionalKey().prefill(Prefill.TRAILING_MESSAGE)),
    OLLAMA_OPENAI(spec("ollama-openai")
            .baseUrl("http://localhost:11434/v1")
            .optionalKey()
            .efforts(EnumSet.of(Effort.LOW, Effort.MEDIUM, Effort.HIGH)));

    /** How the credential is sent. */
    enum Auth {
        /** {@code Authorization: Bearer <key>}; the key is required. */
        BEARER,
        /** {@code Authorization: Bearer <key>} when a key is configured (local servers). */
        OPTIONAL_BEARER,
        /** Azure's {@code api-key: <key>}. */
        AZURE_API_KEY
    }

    /** How reasoning effort/budget is expressed. */
    enum ReasoningStyle {
        /** Top-level {@code reasoning_effort} string; budgets are not expressible. */
        EFFORT_FIELD,
        /** OpenRouter {@code reasoning: {effort}} or {@code reasoning: {max_tokens}}. */
        OPENROUTER_OBJECT,
        /** No per-request control. */
        NONE
    }

    /** How a trailing assistant message is marked as a prefix to continue. */
    enum Prefill {
        NONE,
        /** {@code prefix: true} on the trailing assistant message (Mistral). */
        PREFIX_FLAG,
        /** {@code prefix: true}, served on the {@code /beta} path (DeepSeek). */
        PREFIX_FLAG_ON_BETA_PATH,
        /** Top-level {@code continue_final_message: true, add_generation_prompt: false} (vLLM). */
        CONTINUE_FINAL_MESSAGE,
        /** The server continues a trailing assistant message without any flag (llama.cpp). */
        TRAILING_MESSAGE
    }

    private final String id;
    private final Optional<URI> defaultBaseUrl;
    private final Optional<String> apiKeyEnv;
    private final Auth auth;
    private final String maxTokensField;
    private final boolean streamOptions;
    private final boolean images;
    private final boolean toolResultName;
    private final ReasoningStyle reasoningStyle;
    private final Set<Effort> efforts;
    private final Prefill prefill;

    OpenAiCompatible(Spec s) {
        this.id = s.id;
        this.defaultBaseUrl = Optional.ofNullable(s.baseUrl).map(URI::create);
        this.apiKeyEnv = Optional.ofNullable(s.apiKeyEnv);
        this.auth = s.auth;
        this.maxTokensField = s.maxTokensField;
        this.streamOptions = s.streamOptions;
        this.images = s.images;
        this.toolResultName = s.toolResultName;
        this.reasoningStyle = s.efforts.isEmpty() ? ReasoningStyle.NONE : s.reasoningStyle;
        this.efforts = Set.copyOf(s.efforts);
        this.prefill = s.prefill;
    }

    /** The preset's name as used in configuration, e.g. {@code azure-openai}. */
    public String id() {
        return id;
    }

    /** The usual base URL (loopback for local servers); empty for Azure, whose URL names the resource. */
    public Optional<URI> defaultBaseUrl() {
        return defaultBaseUrl;
    }

    /** The environment variable that conventionally holds the key; empty for local servers. */
    public Optional<String> apiKeyEnv() {
        return apiKeyEnv;
    }

    /** Whether the server needs a key (local servers don't). */
    public boolean requiresApiKey() {
        return auth != Auth.OPTIONAL_BEARER;
    }

    /** Whether a trailing assistant message is continued as a prefix. */
    public boolean supportsAssistantPrefill() {
        return prefill != Prefill.NONE;
    }

    /** The preset with this id, if any (case-insensitive; {@code _} and {@code -} are equivalent). */
    public static Optional<OpenAiCompatible> fromId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT).replace('_', '-');
        for (OpenAiCompatible p : values()) {
            if (p.id.equals(wanted)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The preset a provider configuration asks for: its {@code preset} setting, else its name if that
     * names a preset, else {@link #OPENAI} (plain OpenAI behaviour for any other compatible server).
     */
    public static OpenAiCompatible forConfig(ProviderConfig config) {
        return config.setting("preset")
                .flatMap(OpenAiCompatible::fromId)
                .or(() -> fromId(config.name()))
                .orElse(OPENAI);
    }

    Auth auth() {
        return auth;
    }

    String maxTokensField() {
        return maxTokensField;
    }

    boolean sendsStreamOptions() {
        return streamOptions;
    }

    boolean acceptsImages() {
        return images;
    }

    boolean namesToolResults() {
        return toolResultName;
    }

    ReasoningStyle reasoningStyle() {
        return reasoningStyle;
    }

    Set<Effort> efforts() {
        return efforts;
    }

    Prefill prefill() {
        return prefill;
    }

    private static Spec spec(String id) {
        return new Spec(id);
    }

    /** Constructor arguments, named. */
    private static final class Spec {
        final String id;
        String baseUrl;
        String apiKeyEnv;
        Auth auth = Auth.BEARER;
        String maxTokensField = "max_tokens";
        boolean streamOptions = true;
        boolean images = true;
        boolean toolResultName;
        ReasoningStyle reasoningStyle = ReasoningStyle.EFFORT_FIELD;
        Set<Effort> efforts = EnumSet.noneOf(Effort.class);
        Prefill prefill = Prefill.NONE;

        Spec(String id) {
            this.id = id;
        }

        Spec baseUrl(String value) {
            baseUrl = value;
            return this;
        }

        Spec apiKeyEnv(String value) {
            apiKeyEnv = value;
            return this;
        }

        Spec auth(Auth value) {
            auth = value;
            return this;
        }

        Spec optionalKey() {
            auth = Auth.OPTIONAL_BEARER;
            return this;
        }

        Spec maxTokensField(String value) {
            maxTokensField = value;
            return this;
        }

        Spec noStreamOptions() {
            streamOptions = false;
            return this;
        }

        Spec noImages() {
            images = false;
            return this;
        }

        Spec toolResultName() {
            toolResultName = true;
            return this;
        }

        Spec reasoning(ReasoningStyle value) {
            reasoningStyle = value;
            return this;
        }

        Spec efforts(Set<Effort> value) {
            efforts = value;
            return this;
        }

        Spec prefill(Prefill value) {
            prefill = value;
            return this;
        }
    }
}
