import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * The ceiling of the gateway's stack: a reverse proxy on bare Reactor Netty, the server and client the gateway runs
 * on, with none of the gateway (no Spring, no authentication, checks, limits, retries, metrics or logs). It relays
 * method, path, body, status, content type and length; bench/run.sh measures it beside nginx and the gateway, so the report shows how much
 * of the gap to nginx is the runtime and how much is the gateway.
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
                .handle((request, response) -> upstream
                        .headers(headers -> copy(request.requestHeaders(), headers))
                        .request(request.method())
                        .uri(request.uri())
                        .send(request.receive().retain())
                        .response((answer, body) -> {
                            response.status(answer.status());
                            copy(answer.responseHeaders(), response.responseHeaders());
                            return response.send(body.retain());
                        })
                        .then())
                .bindNow()
                .onDispose()
                .block();
    }

    /** Content type and length, so that bodies go with a length as through nginx, not chunked. */
    private static void copy(HttpHeaders from, HttpHeaders to) {
        for (CharSequence name : new CharSequence[] {HttpHeaderNames.CONTENT_TYPE, HttpHeaderNames.CONTENT_LENGTH}) {
            String value = from.get(name);
            if (value != null) {
                to.set(name, value);
            }
        }
    }
}
