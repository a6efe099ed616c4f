package io.github.geminigateway.live;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Live API sessions ({@code gateway.live.*}).
 *
 * @param setupTimeout   how long a caller has, after the upgrade, to send its {@code setup} message
 * @param idleTimeout    a session with no frame either way for this long is closed (1001)
 * @param maxDuration    the longest a session may run through the gateway (1001 after it). Google ends a connection
 *                       after about 10 minutes itself, with a {@code goAway} a minute before, so this only bounds a
 *                       session something has gone wrong with; keep it above those 10 minutes
 * @param maxMessageSize the largest message taken either way (1009 past it); the bound on what one session holds
 */
@ConfigurationProperties("gateway.live")
public record LiveProperties(@DefaultValue("10s") Duration setupTimeout, @DefaultValue("5m") Duration idleTimeout,
                             @DefaultValue("20m") Duration maxDuration, @DefaultValue("4MB") DataSize maxMessageSize) {

    /** How long a session's slot is leased in the limits store: a replica that dies holding one frees it then. */
    Duration lease() {
        return maxDuration.plus(setupTimeout).plusMinutes(1);
    }

    int maxMessageBytes() {
        return Math.toIntExact(maxMessageSize.toBytes());
    }
}
