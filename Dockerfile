# Multi-stage image for the Gemini gateway. The build stage compiles with JDK 17 (the project's release level);
# the runtime stage is a plain JRE that runs the extracted, layered Spring Boot jar as a non-root user.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace

# Dependencies change less often than sources: resolve them in a layer of their own so that a source edit
# does not download the world again.
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B dependency:go-offline

COPY src/ src/
RUN ./mvnw -B -DskipTests package \
    && java -Djarmode=tools -jar target/gemini-gateway.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:25-jre
LABEL org.opencontainers.image.title="gemini-gateway" \
      org.opencontainers.image.description="A gateway between internal services and Google's Gemini API"

RUN groupadd --system --gid 10001 gateway \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin gateway

WORKDIR /app
# Layers in order of how rarely they change, so an application-only change ships one small layer.
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./

USER 10001:10001
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# 8080 serves the Gemini API surface, 8081 the actuator (health probes and /actuator/prometheus).
EXPOSE 8080 8081
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
