# The pipeline's one image, for docker compose (build: .) and Kubernetes (k8s/): built from the sources, so it needs
# nothing from the host (no target/ directory, no local Maven).
#   docker build -t kafka-learn:1.0.0 .
# Stage 1 packages the jar with Maven (dependencies from Maven Central; tests are run by `mvn verify`, not here).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY .mvn .mvn
COPY application.properties ./
COPY routes routes
COPY src/main src/main
RUN mvn -B -q package -Dmaven.test.skip=true

# Stage 2: the jar on a JRE, as a non-root user; the management server (health, metrics) listens on 8080 on every
# interface of the container (MANAGEMENT_HOST=0.0.0.0: the port mapping and the probes reach it from outside).
FROM eclipse-temurin:17-jre
COPY --from=build /src/target/kafka-learn.jar /app/kafka-learn.jar
USER 10001
ENV MANAGEMENT_HOST=0.0.0.0
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/kafka-learn.jar"]
