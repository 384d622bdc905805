package dev.ambient.bench.proxies;

import dev.ambient.bench.BenchException;
import dev.ambient.bench.LoopbackHosts;
import dev.ambient.bench.Scenario;
import dev.ambient.bench.load.Route;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The C proxy pair a user would deploy instead of ztunnel: two nginx processes (stream module, one
 * worker each). The client side listens in plaintext on the client pod's address and originates
 * TLS 1.3 with the client SVID, verifying the server against the mesh root; the server side
 * terminates TLS, requires a client certificate from the same root, and forwards in plaintext to
 * the server pod's port. One listener pair carries HTTP, another the bulk transfer.
 */
public final class NginxPair implements ProxyPath {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final ChildProcesses children;
    private final Process client;
    private final Process server;
    private final Route http;
    private final Route bulk;

    private NginxPair(ChildProcesses children, Process client, Process server, Route http, Route bulk) {
        this.children = children;
        this.client = client;
        this.server = server;
        this.http = http;
        this.bulk = bulk;
    }

    /** Writes both configurations under {@code workDir}, starts both nginx, waits until they listen. */
    public static NginxPair start(NginxInstallation nginx, ChildProcesses children, FreePorts ports, Path workDir,
            Path logDir, NginxIdentities identities, InetSocketAddress upstream, InetSocketAddress sink)
            throws BenchException, InterruptedException {
        InetSocketAddress serverHttp = new InetSocketAddress(LoopbackHosts.SERVER, ports.on(LoopbackHosts.SERVER));
        InetSocketAddress serverBulk = new InetSocketAddress(LoopbackHosts.SERVER, ports.on(LoopbackHosts.SERVER));
        InetSocketAddress clientHttp = new InetSocketAddress(LoopbackHosts.CLIENT, ports.on(LoopbackHosts.CLIENT));
        InetSocketAddress clientBulk = new InetSocketAddress(LoopbackHosts.CLIENT, ports.on(LoopbackHosts.CLIENT));
        var accept = Optional.of(new NginxConfig.AcceptTls(identities.serverCertificate(), identities.serverKey(),
                identities.root()));
        var dial = Optional.of(new NginxConfig.DialTls(identities.clientCertificate(), identities.clientKey(),
                identities.root(), NginxIdentities.SERVER_NAME));
        Path serverDir = workDir.resolve("nginx-server");
        Path clientDir = workDir.resolve("nginx-client");
        NginxConfig serverConfig = new NginxConfig("server", nginx.streamModule(), serverDir.resolve("nginx.pid"),
                logDir.resolve("nginx-server-error.log"), List.of(
                        new NginxConfig.Server(serverHttp, upstream, accept, Optional.empty()),
                        new NginxConfig.Server(serverBulk, sink, accept, Optional.empty())), Optional.empty());
        NginxConfig clientConfig = new NginxConfig("client", nginx.streamModule(), clientDir.resolve("nginx.pid"),
                logDir.resolve("nginx-client-error.log"), List.of(
                        new NginxConfig.Server(clientHttp, serverHttp, Optional.empty(), dial),
                        new NginxConfig.Server(clientBulk, serverBulk, Optional.empty(), dial)), Optional.empty());
        Path serverLog = logDir.resolve("nginx-server.log");
        Path clientLog = logDir.resolve("nginx-client.log");
        Process serverProcess = launch(nginx, children, "nginx server", serverDir, serverConfig, serverLog);
        Process clientProcess = null;
        try {
            Readiness.awaitListening("nginx server", List.of(serverHttp, serverBulk), serverProcess,
                    serverConfig.errorLog(), START_TIMEOUT);
            clientProcess = launch(nginx, children, "nginx client", clientDir, clientConfig, clientLog);
            Readiness.awaitListening("nginx client", List.of(clientHttp, clientBulk), clientProcess,
                    clientConfig.errorLog(), START_TIMEOUT);
        } catch (BenchException | InterruptedException | RuntimeException e) {
            children.stop(serverProcess);
            if (clientProcess != null) {
                children.stop(clientProcess);
            }
            throw e;
        }
        return new NginxPair(children, clientProcess, serverProcess, Route.tcp(LoopbackHosts.CLIENT, clientHttp),
                Route.tcp(LoopbackHosts.CLIENT, clientBulk));
    }

    private static Process launch(NginxInstallation nginx, ChildProcesses children, String name, Path dir,
            NginxConfig config, Path log) throws BenchException {
        Path file = dir.resolve("nginx.conf");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, config.render());
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + ": " + e.getMessage(), e);
        }
        // -p keeps relative paths (and temp directories) inside dir; -e sends startup errors to our log.
        return children.start(name, List.of(nginx.binary().toString(), "-p", dir + "/", "-e",
                config.errorLog().toString(), "-c", file.toString()), log);
    }

    @Override
    public Scenario scenario() {
        return Scenario.NGINX;
    }

    @Override
    public Route httpRoute() {
        return http;
    }

    @Override
    public Route bulkRoute() {
        return bulk;
    }

    @Override
    public List<ProxyProcess> processes() {
        return List.of(new ProxyProcess("nginx client", client.pid()), new ProxyProcess("nginx server", server.pid()));
    }

    @Override
    public void close() {
        children.stop(client);
        children.stop(server);
    }
}
