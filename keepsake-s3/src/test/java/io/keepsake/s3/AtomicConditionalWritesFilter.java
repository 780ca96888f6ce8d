package io.keepsake.s3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A servlet filter in front of S3Proxy's handler that makes its conditional writes atomic, as Amazon S3's are.
 *
 * <p>Why: with the transient and filesystem blob stores S3Proxy answers {@code If-Match} on PutObject, on
 * CompleteMultipartUpload and on DeleteObject by reading the object's metadata and then writing (or deleting) in a
 * second step, so two requests conditional on the same ETag can both pass the check and both succeed. Amazon S3
 * decides the condition and applies the write of one key as one step: exactly one of them succeeds, the other gets
 * 412.
 *
 * <p>Design: every request that changes an object (PUT of an object or a copy, DELETE of an object,
 * CompleteMultipartUpload) holds the lock of its object's path (path-style {@code /bucket/key}, percent-decoded)
 * for the whole time S3Proxy handles it, so a check and its write happen with no other change of that object in
 * between. The locks are striped by the path's hash: two keys of one stripe merely take turns. Reads, listings,
 * part uploads and multipart initiations and aborts take no lock (they change no object). Not covered: the
 * multi-object delete ({@code POST ?delete}), which Keepsake does not send. S3Proxy's servlet answers
 * synchronously, so the lock is released only after the answer is complete.
 */
final class AtomicConditionalWritesFilter implements Filter {
    private final ReentrantLock[] stripes = new ReentrantLock[64]; // each guards the changes of its objects

    AtomicConditionalWritesFilter() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String object = request instanceof HttpServletRequest http ? changedObject(http) : null;
        if (object == null) {
            chain.doFilter(request, response);
            return;
        }
        ReentrantLock lock = stripes[Math.floorMod(object.hashCode(), stripes.length)];
        lock.lock();
        try {
            chain.doFilter(request, response);
        } finally {
            lock.unlock();
        }
    }

    /** @return the {@code /bucket/key} path of the object {@code request} changes, or null if it changes none */
    static String changedObject(HttpServletRequest request) {
        String path = URLDecoder.decode(request.getRequestURI().replace("+", "%2B"), StandardCharsets.UTF_8);
        int keyStart = path.indexOf('/', 1);
        if (!path.startsWith("/") || keyStart < 0 || keyStart == path.length() - 1) {
            return null; // the service or a bucket
        }
        String query = request.getQueryString() == null ? "" : "&" + request.getQueryString();
        boolean changes = switch (request.getMethod()) {
            case "PUT" -> !query.contains("&partNumber=");          // not UploadPart / UploadPartCopy
            case "DELETE" -> !query.contains("&uploadId=");         // not AbortMultipartUpload
            case "POST" -> query.contains("&uploadId=");            // CompleteMultipartUpload
            default -> false;
        };
        return changes ? path : null;
    }
}
