package io.github.geminigateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.geminigateway.auth.ClientProperties;
import io.github.geminigateway.limits.store.GuardedLimitStore;
import io.github.geminigateway.limits.store.LimitStore;
import io.github.geminigateway.limits.store.MemoryLimitStore;
import io.github.geminigateway.limits.store.RedisConnector;
import io.github.geminigateway.upstream.TimeoutProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How the limit settings bind and which store they wire. */
class LimitsConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Infrastructure.class, LimitsConfiguration.class);

    @Test
    void theMemoryStoreIsTheDefaultAndNeedsNoRedis() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(RequestLimiter.class);
            assertThat(context.getBean(LimitStore.class)).isInstanceOf(MemoryLimitStore.class);
            assertThat(context).doesNotHaveBean(RedisConnector.class);
            LimitsProperties.Counting counting = context.getBean(LimitsProperties.class).limits();
            assertThat(counting.redisFailureMode()).isEqualTo(LimitsProperties.FailureMode.OPEN);
            assertThat(counting.redisTimeout()).isEqualTo(Duration.ofMillis(100));
        });
    }

    @Test
    void theRedisStoreStartsEvenWhenRedisIsNotThere() {
        runner.withPropertyValues("gateway.limits.store=redis", "spring.data.redis.url=redis://127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(RedisConnector.class);
                    assertThat(context.getBean(LimitStore.class)).isInstanceOf(GuardedLimitStore.class);
                });
    }

    @Test
    void limitsBindBesideTheClientAndTheModel() {
        runner.withPropertyValues(
                        "gateway.clients.team-a.key-sha256=ignored-here",
                        "gateway.clients.team-a.requests-per-minute=60",
                        "gateway.clients.team-a.tokens-per-minute=100000",
                        "gateway.clients.team-a.max-concurrent-streams=4",
                        "gateway.models.[gemini-2.5-flash].requests-per-minute=1000",
                        "gateway.models.[gemini-2.5-flash].input-tokens-per-minute=1000000",
                        "gateway.models.[gemini-2.5-flash].requests-per-day=10000",
                        "gateway.models.[gemini-2.5-flash].fallbacks=gemini-2.5-flash-lite")
                .run(context -> {
                    LimitsProperties properties = context.getBean(LimitsProperties.class);
                    assertThat(properties.client("team-a"))
                            .isEqualTo(new LimitsProperties.ClientLimits(60L, 100_000L, 4, null));
                    assertThat(properties.model("gemini-2.5-flash"))
                            .isEqualTo(new LimitsProperties.ModelLimits(1_000L, 1_000_000L, 10_000L));
                });
    }

    @Test
    void aModelIdWithDotsButNoBracketsStopsStartupRatherThanGoUnlimited() {
        runner.withPropertyValues("gateway.models.gemini-2.5-flash.requests-per-day=10000")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining(
                        "gateway.models.[gemini-2.5-flash].requests-per-day"));
    }

    @Test
    void aLimitBelowOneIsRefusedAtStartup() {
        runner.withPropertyValues("gateway.clients.team-a.requests-per-minute=0")
                .run(context -> assertThat(context).hasFailed());
    }

    /** What the application provides around the limits. */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({LimitsProperties.class, ClientProperties.class, TimeoutProperties.class})
    static class Infrastructure {

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
