# marketing-bus container image: docker build -t marketing-bus . (see docs/scaling.md, "Deploying").
# DockerfileTest checks every port, path and setting named here against the product.

# --- build: Maven on the Temurin 17 JDK -------------------------------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# dependencies first, so a source change does not download them again
COPY pom.xml .
RUN mvn -B -q -Pkubernetes dependency:go-offline
COPY application.properties .
COPY src ./src
# -Pkubernetes: the Kubernetes Lease cluster service the manifests select (BUS_CLUSTER_SERVICE=kubernetes)
RUN mvn -B -q -Pkubernetes package -DskipTests

# --- run: the Temurin 17 JRE, as a non-root user -----------------------------------------------------------------
FROM eclipse-temurin:17-jre
# curl for the HEALTHCHECK below (the JRE image does not promise one)
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 bus && useradd --system --uid 10001 --gid bus --home-dir /app bus \
 && mkdir -p /app /data && chown bus:bus /data
WORKDIR /app
COPY --from=build /src/target/marketing-bus.jar /app/marketing-bus.jar
# The management port listens on 127.0.0.1 by default: in a container the kubelet's probes and Prometheus come from
# outside the container's loopback, so it binds every interface here. Nothing on it asks for credentials: only the
# cluster network may reach it (deploy/kubernetes/networkpolicy.yaml), never a public load balancer.
ENV CAMEL_MANAGEMENT_HOST=0.0.0.0
# Only the embedded broker (dev profile, no CAMEL_COMPONENT_KAFKA_BROKERS) writes here; prod uses an external Kafka
# and keeps nothing on disk.
ENV BUS_DATA_DIR=/data
VOLUME ["/data"]
USER 10001:10001
# webhooks (camel.server.port), then health, metrics and Jolokia (camel.management.port)
EXPOSE 8080 9876
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:9876/observe/health/ready || exit 1
# the JVM sizes its heap from the container's memory limit; 75 % leaves room for Kafka's and Vert.x's buffers
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-jar", "/app/marketing-bus.jar"]
