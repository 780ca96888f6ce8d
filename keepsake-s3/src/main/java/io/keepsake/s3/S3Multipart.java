package io.keepsake.s3;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * One multipart upload of a large object: create, upload the parts in order, complete with the write's condition.
 * Nothing is visible until the complete succeeds; on any failure the upload is aborted (best effort) so that no
 * parts are left to bill.
 */
final class S3Multipart {
    private final S3Client client;
    private final String bucket;
    private final String name;
    private final long partSize;

    S3Multipart(S3Client client, String bucket, String name, long partSize) {
        this.client = client;
        this.bucket = bucket;
        this.name = name;
        this.partSize = partSize;
    }

    /** @return the ETag of the completed object */
    String upload(byte[] body, Map<String, String> metadata, String ifMatch, String ifNoneMatch) {
        String uploadId = client.createMultipartUpload(r -> r.bucket(bucket).key(name).metadata(metadata)
                .contentType("application/octet-stream")).uploadId();
        boolean completed = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (long offset = 0; offset < body.length; offset += partSize, number++) {
                int from = (int) offset;
                int length = (int) Math.min(partSize, body.length - offset);
                int partNumber = number;
                String etag = client.uploadPart(r -> r.bucket(bucket).key(name).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body, from, length), length,
                                "application/octet-stream")).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
            }
            String etag = client.completeMultipartUpload(r -> r.bucket(bucket).key(name).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)).ifMatch(ifMatch).ifNoneMatch(ifNoneMatch)).eTag();
            completed = true;
            return etag;
        } finally {
            if (!completed) {
                abort(uploadId);
            }
        }
    }

    private void abort(String uploadId) {
        try {
            client.abortMultipartUpload(r -> r.bucket(bucket).key(name).uploadId(uploadId));
        } catch (SdkException e) {
            // The upload's own failure is what the caller needs to see; a lifecycle rule reaps the parts.
        }
    }
}
