# The image the manifests run: the packaged jar on a JRE, as a non-root user.
#   mvn package -DskipTests && docker build -f k8s/Dockerfile -t kafka-learn:1.0.0 .
FROM eclipse-temurin:17-jre
COPY target/kafka-learn.jar /app/kafka-learn.jar
USER 10001
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/kafka-learn.jar"]
