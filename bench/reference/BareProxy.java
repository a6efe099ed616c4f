import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The ceiling of the gateway's stack: a reverse proxy on bare Reactor Netty, the server and client the gateway runs
 * on, with none of the gateway (no Spring, no authentication, checks, limits, retries, metrics or logs). It moves
 * bytes the way the gateway does for a unary call, in the cheapest form Reactor Netty offers: the request read whole
 * and sent upstream in one write, the answer read whole and sent back in one write with its status and content type.
 * bench/run.sh measures it beside nginx and the gateway, so the report shows how much of the gap to nginx is the
 * runtime and how much is the gateway.
 *
 * <p>Run: java -cp 'LIB_DIR/*' BareProxy.java PORT UPSTREAM_PORT (LIB_DIR: the gateway jar's extracted lib/).
 */
public class BareProxy {

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        int upstreamPort = Integer.parseInt(args[1]);
        HttpClient upstream = HttpClient.create(ConnectionProvider.builder("upstream").maxConnections(1024).build())
                .host("127.0.0.1").port(upstreamPort);
        HttpServer.create().host("127.0.0.1").port(port)
                .handle((request, response) -> request.receive().aggregate().asByteArray()
                        .flatMap(body -> upstream
                                .headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE,
                                        request.requestHeaders().get(HttpHeaderNames.CONTENT_TYPE, "application/json")))
                                .request(request.method())
                                .uri(request.uri())
                                .send(Mono.just(Unpooled.wrappedBuffer(body)))
                                .responseSingle((answer, content) -> content.asByteArray().defaultIfEmpty(new byte[0])
                                        .map(bytes -> {
                                            response.status(answer.status()).header(HttpHeaderNames.CONTENT_TYPE,
                                                    answer.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE,
                                                            "application/json"));
                                            return bytes;
                                        })))
                        .flatMap(bytes -> response.sendByteArray(Mono.just(bytes)).then()))
                .bindNow()
                .onDispose()
                .block();
    }
}
