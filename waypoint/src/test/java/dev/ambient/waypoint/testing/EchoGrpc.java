package dev.ambient.waypoint.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A gRPC service for tests, with no generated code: {@code test.Echo} has a unary Echo, a
 * server-streaming Count ("n" answers "1".."n") and a bidirectional Chat that answers each message
 * as it comes. Messages are UTF-8 strings; the server remembers the last {@code traceparent} it saw.
 */
public final class EchoGrpc {

    public static final String SERVICE = "test.Echo";

    private static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public static final MethodDescriptor<String, String> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);
    public static final MethodDescriptor<String, String> COUNT = method("Count",
            MethodDescriptor.MethodType.SERVER_STREAMING);
    public static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    public static final MethodDescriptor<String, String> FORBIDDEN = method("Forbidden",
            MethodDescriptor.MethodType.UNARY);

    private static final Metadata.Key<String> TRACEPARENT = Metadata.Key.of("traceparent",
            Metadata.ASCII_STRING_MARSHALLER);

    public final AtomicReference<String> lastTraceparent = new AtomicReference<>();

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
    }

    public ServerServiceDefinition service() {
        ServerServiceDefinition definition = ServerServiceDefinition.builder(SERVICE)
                .addMethod(ECHO, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    out.onNext(req);
                    out.onCompleted();
                }))
                .addMethod(FORBIDDEN, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    out.onNext("should never be reached");
                    out.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) -> {
                    for (int i = 1; i <= Integer.parseInt(req); i++) {
                        out.onNext(Integer.toString(i));
                    }
                    out.onCompleted();
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall((StreamObserver<String> out) ->
                        new StreamObserver<String>() {
                            @Override
                            public void onNext(String value) {
                                out.onNext("re: " + value);
                            }

                            @Override
                            public void onError(Throwable t) {
                                // the client went away
                            }

                            @Override
                            public void onCompleted() {
                                out.onCompleted();
                            }
                        }))
                .build();
        return ServerInterceptors.intercept(definition, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                    ServerCallHandler<Q, R> next) {
                lastTraceparent.set(headers.get(TRACEPARENT));
                return next.startCall(call, headers);
            }
        });
    }

    public static String echo(Channel channel, String text) {
        return ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, text);
    }

    public static Iterator<String> count(Channel channel, int n) {
        return ClientCalls.blockingServerStreamingCall(channel, COUNT, CallOptions.DEFAULT, Integer.toString(n));
    }

    public static String forbidden(Channel channel) {
        return ClientCalls.blockingUnaryCall(channel, FORBIDDEN, CallOptions.DEFAULT, "x");
    }
}
