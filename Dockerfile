# Builds the WAR and runs it on the official Payara Micro image.
# (Not built on the development machines of this project: they have no Docker engine.)
#   docker build -t redis-chat .
#   docker run -p 8080:8080 -e REDIS_ADDRESS=redis://redis:6379 redis-chat
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline -DexcludeArtifactIds=payara-micro || true
COPY src src
RUN mvn -B -q -DskipTests package

FROM payara/micro:6.2025.10-jdk17
# Every setting can be given as an environment variable: REDIS_ADDRESS, REDIS_CONFIG_FILE,
# CHAT_HISTORY_RETENTION, CHAT_RATE_PER_SECOND, CHAT_ORIGINS_ALLOWED, ... (see README.md).
ENV REDIS_ADDRESS=redis://redis:6379
COPY server-config/pre-boot-commands.asadmin /opt/payara/config/pre-boot-commands.asadmin
COPY --from=build /src/target/chat.war /opt/payara/deployments/chat.war
EXPOSE 8080
CMD ["--deploy", "/opt/payara/deployments/chat.war", "--contextroot", "/", "--nohazelcast", \
     "--prebootcommandfile", "/opt/payara/config/pre-boot-commands.asadmin"]
