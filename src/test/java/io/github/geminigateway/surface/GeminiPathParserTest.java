package io.github.geminigateway.surface;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.geminigateway.error.ErrorStatus;
import io.github.geminigateway.error.GatewayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeminiPathParserTest {

    private final GeminiPathParser parser = new GeminiPathParser();

    @Test
    void acceptsEveryApiVersionAndExtractsModelAndMethod() {
        assertThat(parser.parse("/v1/models/gemini-2.5-flash:generateContent"))
                .isEqualTo(new GeminiPath("v1", "models/gemini-2.5-flash:generateContent", "gemini-2.5-flash",
                        "generateContent", Operation.GENERATE, false));
        assertThat(parser.parse("/v1beta/models/gemini-2.5-pro:streamGenerateContent"))
                .isEqualTo(new GeminiPath("v1beta", "models/gemini-2.5-pro:streamGenerateContent", "gemini-2.5-pro",
                        "streamGenerateContent", Operation.STREAM, false));
        assertThat(parser.parse("/v1alpha/models/gemini-2.5-flash-lite:countTokens"))
                .isEqualTo(new GeminiPath("v1alpha", "models/gemini-2.5-flash-lite:countTokens",
                        "gemini-2.5-flash-lite", "countTokens", Operation.COUNT_TOKENS, false));
    }

    @Test
    void namesTheEmbeddingOperations() {
        assertThat(parser.parse("/v1beta/models/gemini-embedding-001:embedContent").operation())
                .isEqualTo(Operation.EMBED);
        assertThat(parser.parse("/v1beta/models/gemini-embedding-001:batchEmbedContents").operation())
                .isEqualTo(Operation.EMBED);
    }

    @Test
    void extractsTheModelFromAModelGetAndFromSubResources() {
        GeminiPath get = parser.parse("/v1beta/models/gemini-2.5-flash");
        assertThat(get.model()).isEqualTo("gemini-2.5-flash");
        assertThat(get.rpcMethod()).isNull();
        assertThat(get.operation()).isEqualTo(Operation.OTHER);

        assertThat(parser.parse("/v1beta/models/veo-3.0-generate-001/operations/abc123").model())
                .isEqualTo("veo-3.0-generate-001");
    }

    @Test
    void pathsWithoutAModelPassWithNoModel() {
        assertThat(parser.parse("/v1beta/models").model()).isNull();
        assertThat(parser.parse("/v1beta/cachedContents/abc").operation()).isEqualTo(Operation.OTHER);
        assertThat(parser.parse("/v1beta/batches/abc:cancel").model()).isNull();
    }

    @Test
    void filesPathsAreTheFilesOperation() {
        assertThat(parser.parse("/v1beta/files").operation()).isEqualTo(Operation.FILES);
        assertThat(parser.parse("/v1beta/files/abc-123").operation()).isEqualTo(Operation.FILES);
        assertThat(parser.parse("/v1beta/files:register").operation()).isEqualTo(Operation.FILES);
    }

    @Test
    void uploadPathsAreMarkedAsUploads() {
        GeminiPath upload = parser.parse("/upload/v1beta/files");
        assertThat(upload.upload()).isTrue();
        assertThat(upload.version()).isEqualTo("v1beta");
        assertThat(upload.operation()).isEqualTo(Operation.UPLOAD);
        assertThat(parser.parse("/upload/v1beta/fileSearchStores/store-1:uploadToFileSearchStore").upload())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1beta/models/../files",
            "/v1beta/models/gemini-2.5-flash/..",
            "/v1beta/./models/gemini-2.5-flash:generateContent",
            "/v1beta/models/./gemini-2.5-flash:generateContent",
            "/v1beta/models/%2e%2e/files",
            "/v1beta/models/%2E%2E/files",
            "/v1beta/models%2Fgemini-2.5-flash:generateContent",
            "/v1beta/models/gemini-2.5-flash%2F..%2Ffiles",
            "/v1beta/models\\..\\files",
            "/v1beta/models//gemini-2.5-flash:generateContent",
            "/v1beta//models",
            "/v1beta/models/gemini-2.5-flash/",
            "/upload/v1beta/../v1beta/files",
            "/v1beta/models/gemini 2.5:generateContent"})
    void refusesTraversalAndEncodedEscapesWith400(String rawPath) {
        assertThatThrownBy(() -> parser.parse(rawPath))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.status()).isEqualTo(ErrorStatus.INVALID_ARGUMENT));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/", "/v2/models/gemini-2.5-flash:generateContent", "/v1beta", "/v1beta/", "/V1BETA/models",
            "/v1betax/models", "/actuator/health", "/upload/files", "/api/v1beta/models", "v1beta/models"})
    void refusesPathsOutsideTheGeminiSurfaceWith404(String rawPath) {
        assertThatThrownBy(() -> parser.parse(rawPath))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.status()).isEqualTo(ErrorStatus.NOT_FOUND));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/v1beta/models/-gemini:generateContent",
            "/v1beta/models/.gemini:generateContent",
            "/v1beta/models/gemini~flash:generateContent",
            "/v1beta/models/gemini@2.5:generateContent",
            "/v1beta/models/gemini$flash",
            "/v1beta/models/gemini-2.5-flash:generate-content",
            "/v1beta/models/gemini-2.5-flash:generateContent2"})
    void refusesOddModelOrMethodCharactersWith400(String rawPath) {
        assertThatThrownBy(() -> parser.parse(rawPath))
                .isInstanceOfSatisfying(GatewayException.class,
                        e -> assertThat(e.status()).isEqualTo(ErrorStatus.INVALID_ARGUMENT));
    }

    @Test
    void refusesAModelIdLongerThan128Characters() {
        String longest = "m" + "x".repeat(127);
        assertThat(parser.parse("/v1beta/models/" + longest + ":generateContent").model()).isEqualTo(longest);
        assertThatThrownBy(() -> parser.parse("/v1beta/models/" + longest + "y:generateContent"))
                .isInstanceOf(GatewayException.class);
    }

    @Test
    void theNotFoundMessageNeverEchoesRawControlCharacters() {
        assertThatThrownBy(() -> parser.parse("/evil\r\nX-Injected: 1<script>"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage())
                        .doesNotContain("\r", "\n", "<script>"));
    }

    @Test
    void aCollectionInAnotherCaseIsRefusedRatherThanLeftUngoverned() {
        for (String path : new String[] {"/v1beta/Models/gemini-2.5-pro:generateContent", "/v1beta/INTERACTIONS",
                "/v1alpha/Auth_Tokens", "/v1beta/cachedcontents"}) {
            assertThatThrownBy(() -> parser.parse(path)).as(path).isInstanceOf(GatewayException.class)
                    .hasMessageContaining("must be spelled");
        }
    }
}
