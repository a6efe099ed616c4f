package io.github.geminigateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UpstreamTargetTest {

    @Test
    void pathWithoutQueryIsUnchanged() {
        assertThat(UpstreamTarget.of("/v1beta/models/gemini-2.5-flash:generateContent", null))
                .isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(UpstreamTarget.of("/v1beta/models", "")).isEqualTo("/v1beta/models");
    }

    @Test
    void removesTheCallersKeyAndKeepsAltSse() {
        assertThat(UpstreamTarget.of("/v1beta/models/m:streamGenerateContent", "alt=sse&key=gw-client-key"))
                .isEqualTo("/v1beta/models/m:streamGenerateContent?alt=sse");
        assertThat(UpstreamTarget.of("/v1beta/models/m:streamGenerateContent", "key=gw-client-key&alt=sse"))
                .isEqualTo("/v1beta/models/m:streamGenerateContent?alt=sse");
    }

    @Test
    void dropsTheQueryWhenOnlyTheKeyWasInIt() {
        assertThat(UpstreamTarget.of("/v1beta/models", "key=gw-client-key")).isEqualTo("/v1beta/models");
        assertThat(UpstreamTarget.of("/v1beta/models", "key")).isEqualTo("/v1beta/models");
        assertThat(UpstreamTarget.of("/v1beta/models", "key=a&key=b")).isEqualTo("/v1beta/models");
    }

    @Test
    void keepsOtherParametersByteForByte() {
        assertThat(UpstreamTarget.of("/v1beta/models", "pageSize=10&pageToken=a%2Bb%3D&keyword=x&monkey=1"))
                .isEqualTo("/v1beta/models?pageSize=10&pageToken=a%2Bb%3D&keyword=x&monkey=1");
        assertThat(UpstreamTarget.of("/v1beta/files", "a=1&&key=k&b=2")).isEqualTo("/v1beta/files?a=1&b=2");
    }

    @Test
    void removesAKeyParameterWhoseNameIsPercentEncoded() {
        // Spring decodes parameter names when it authenticates, and Google decodes them too.
        for (String encoded : new String[] {"%6Bey", "%6bey", "ke%79", "%6B%65%79", "key%20"}) {
            assertThat(UpstreamTarget.of("/v1beta/models/m:streamGenerateContent",
                    "alt=sse&" + encoded + "=gw-client-key"))
                    .as(encoded).isEqualTo("/v1beta/models/m:streamGenerateContent?alt=sse");
        }
    }

    @Test
    void removesEverySystemParameterThatCarriesACredentialInAnySpelling() {
        for (String parameter : new String[] {"key=x", "$key=x", "%24key=x", "access_token=x", "$access_token=x",
                "%24access%5Ftoken=x", "oauth_token=x", "$oauth_token=x", "Access_Token=x", "bearer_token=x"}) {
            assertThat(UpstreamTarget.of("/v1beta/models/m:generateContent", parameter + "&pageSize=2"))
                    .as(parameter).isEqualTo("/v1beta/models/m:generateContent?pageSize=2");
        }
    }

    @Test
    void removesTheSystemParametersThatWouldChangeWhatTheGatewayGovernsOrReads() {
        for (String parameter : new String[] {"$httpMethod=DELETE", "%24httpMethod=DELETE", "$ct=text/plain",
                "callback=f", "$callback=f", "userProject=other", "$userProject=p", "fields=candidates",
                "$fields=candidates", "alt=proto", "$alt=proto", "alt", "quotaUser=u"}) {
            assertThat(UpstreamTarget.of("/v1beta/models/m:generateContent", parameter))
                    .as(parameter).isEqualTo("/v1beta/models/m:generateContent");
        }
        assertThat(UpstreamTarget.of("/v1beta/files/f:download", "alt=media"))
                .isEqualTo("/v1beta/files/f:download?alt=media");
        assertThat(UpstreamTarget.of("/v1beta/models/m:streamGenerateContent", "%24alt=sse"))
                .isEqualTo("/v1beta/models/m:streamGenerateContent?%24alt=sse");
    }
}
