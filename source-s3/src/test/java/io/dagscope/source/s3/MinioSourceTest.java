package io.dagscope.source.s3;

import java.net.URI;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The contract against MinIO in Docker. Where no Docker engine answers, the whole class is reported as skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioSourceTest extends S3SourceContract {

    @Container
    private static final MinIOContainer MINIO = new MinIOContainer("minio/minio:RELEASE.2024-10-13T13-34-11Z")
            .withUserName("dagscope-minio")
            .withPassword("dagscope-minio-secret");

    @Override
    URI endpoint() {
        return URI.create(MINIO.getS3URL());
    }

    @Override
    String accessKey() {
        return MINIO.getUserName();
    }

    @Override
    String secretKey() {
        return MINIO.getPassword();
    }
}
