package io.github.geminigateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders the Helm chart with helm-java (Helm's own Go code, no cluster) and checks what Kubernetes would receive: a
 * hardened Deployment by default, each optional object only behind its switch, and the alert rules and dashboard
 * embedded byte for byte from the ops/ originals that promtool and docker-compose use.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("helm/gemini-gateway");
    private static final Path OPS_ALERTS = Path.of("ops/prometheus/alerts.yml");
    private static final Path OPS_DASHBOARD = Path.of("ops/grafana/gemini-gateway-dashboard.json");

    private static final String EVERY_SWITCH_ON = """
            secrets:
              upstreamApiKeys: [upstream-key-1, upstream-key-2]
              clientKeySha256:
                svc-a: 3a9049c62b74d338ebcabad13065aa0a5435e1efdba0176c9c17a5bfa1fac5ff
            redis:
              url: redis://redis.ai.svc:6379
            autoscaling: {enabled: true, minReplicas: 3, maxReplicas: 12}
            podDisruptionBudget: {enabled: true, minAvailable: 2}
            serviceMonitor: {enabled: true, labels: {release: kube-prometheus-stack}}
            prometheusRule: {enabled: true}
            networkPolicy:
              enabled: true
              monitoringNamespace: observability
              apiFrom:
                - namespaceSelector: {matchLabels: {team: ai}}
            dashboard: {enabled: true}
            """;

    @TempDir
    Path tempDir;

    @Test
    void chartLintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
        assertThat(result.getMessages()).noneMatch(message -> message.contains("[WARNING]")
                || message.contains("[ERROR]"));
    }

    @Test
    void defaultsRenderAHardenedDeployment() {
        Map<String, Object> pod = map(map(render(null).one("Deployment").get("spec")).get("template"));
        Map<String, Object> podSpec = map(pod.get("spec"));
        Map<String, Object> container = map(list(podSpec.get("containers")).get(0));

        assertThat(map(podSpec.get("securityContext"))).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 10001)
                .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat(map(container.get("securityContext"))).containsEntry("runAsNonRoot", true)
                .containsEntry("runAsUser", 10001)
                .containsEntry("readOnlyRootFilesystem", true)
                .containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat(podSpec).containsEntry("terminationGracePeriodSeconds", 90);
        assertThat(at(container, "lifecycle", "preStop", "exec", "command")).isEqualTo(List.of("sleep", "10"));
        assertThat(map(at(pod, "metadata", "annotations"))).containsKeys("checksum/config", "checksum/secret");
    }

    @Test
    void defaultsProbeTheManagementPort() {
        Map<String, Object> container = container(render(null).one("Deployment"));

        assertThat(at(container, "livenessProbe", "httpGet"))
                .isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
        assertThat(at(container, "readinessProbe", "httpGet"))
                .isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "management"));
        assertThat(at(container, "startupProbe", "httpGet"))
                .isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "management"));
        assertThat(list(container.get("ports"))).extracting(port -> map(port).get("containerPort"))
                .containsExactly(8080, 8081);
    }

    @Test
    void defaultsMountConfigSecretAndAWritableTmp() {
        Rendered rendered = render(null);
        Map<String, Object> container = container(rendered.one("Deployment"));

        assertThat(env(container)).containsEntry("SPRING_CONFIG_ADDITIONAL_LOCATION",
                "optional:file:/config/,optional:file:/config-secret/secret.yml")
                .doesNotContainKeys("SPRING_DATA_REDIS_URL", "SPRING_PROFILES_ACTIVE");
        assertThat(list(container.get("volumeMounts"))).extracting(mount -> map(mount).get("mountPath"))
                .containsExactlyInAnyOrder("/config", "/config-secret", "/tmp");
        assertThat(volumes(rendered.one("Deployment"))).containsEntry("tmp", Map.of("emptyDir", Map.of()));
        assertThat(applicationYaml(rendered)).doesNotContainKey("limits");
        assertThat(list(at(rendered.one("Service"), "spec", "ports")))
                .extracting(port -> map(port).get("name") + ":" + map(port).get("port"))
                .as("the management port stays out of the callers' Service").containsExactly("http:8080");
    }

    @Test
    void defaultsRenderNoOptionalObject() {
        Rendered rendered = render(null);

        assertThat(rendered.kinds()).containsExactlyInAnyOrder("Secret", "ConfigMap", "Service", "Deployment");
        assertThat(map(at(rendered.one("Deployment"), "spec"))).containsEntry("replicas", 2);
    }

    @Test
    void everySwitchOnRendersEachObject() {
        Rendered rendered = render(EVERY_SWITCH_ON);

        assertThat(rendered.kinds()).containsExactlyInAnyOrder("Secret", "ConfigMap", "ConfigMap", "Service",
                "Service", "Deployment", "HorizontalPodAutoscaler", "PodDisruptionBudget", "ServiceMonitor",
                "PrometheusRule", "NetworkPolicy");
        Map<String, Object> metrics = rendered.all("Service").stream()
                .filter(service -> "gw-gemini-gateway-metrics".equals(at(service, "metadata", "name")))
                .findFirst().orElseThrow();
        assertThat(list(at(metrics, "spec", "ports"))).extracting(port -> map(port).get("name"))
                .containsExactly("management");
        assertThat(map(at(rendered.one("ServiceMonitor"), "spec", "selector", "matchLabels")))
                .containsEntry("app.kubernetes.io/component", "metrics");
        assertThat(map(at(metrics, "metadata", "labels"))).containsEntry("app.kubernetes.io/component", "metrics");
        assertThat(map(at(rendered.one("Deployment"), "spec"))).doesNotContainKey("replicas");
        assertThat(at(rendered.one("HorizontalPodAutoscaler"), "spec", "scaleTargetRef", "name"))
                .isEqualTo("gw-gemini-gateway");
        assertThat(map(at(rendered.one("HorizontalPodAutoscaler"), "spec")))
                .containsEntry("minReplicas", 3).containsEntry("maxReplicas", 12);
        assertThat(map(at(rendered.one("PodDisruptionBudget"), "spec"))).containsEntry("minAvailable", 2);
        assertThat(list(at(rendered.one("ServiceMonitor"), "spec", "endpoints")))
                .containsExactly(Map.of("port", "management", "path", "/actuator/prometheus", "interval", "30s",
                        "scrapeTimeout", "10s"));
        assertThat(at(rendered.one("ServiceMonitor"), "metadata", "labels", "release"))
                .isEqualTo("kube-prometheus-stack");
    }

    @Test
    void redisUrlSwitchesTheLimitStoreToRedis() {
        Rendered rendered = render(EVERY_SWITCH_ON);

        assertThat(env(container(rendered.one("Deployment"))))
                .containsEntry("SPRING_DATA_REDIS_URL", "redis://redis.ai.svc:6379");
        assertThat(applicationYaml(rendered)).containsEntry("limits", Map.of("store", "redis"));
    }

    @Test
    void networkPolicyOpensTheApiToItsPeersAndMetricsToMonitoringOnly() {
        Map<String, Object> spec = map(render(EVERY_SWITCH_ON).one("NetworkPolicy").get("spec"));
        List<Object> ingress = list(spec.get("ingress"));

        assertThat(map(ingress.get(0))).containsEntry("ports", List.of(Map.of("port", 8080, "protocol", "TCP")))
                .containsEntry("from", List.of(Map.of("namespaceSelector",
                        Map.of("matchLabels", Map.of("team", "ai")))));
        assertThat(map(ingress.get(1))).containsEntry("ports", List.of(Map.of("port", 8081, "protocol", "TCP")))
                .containsEntry("from", List.of(Map.of("namespaceSelector",
                        Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "observability")))));
        assertThat(list(spec.get("egress"))).flatExtracting(rule -> list(map(rule).get("ports")))
                .extracting(port -> map(port).get("port"))
                .containsExactly(53, 53, 443, 6379);
    }

    @Test
    void secretHoldsUpstreamKeysAndClientKeyHashesAsApplicationYaml() {
        Map<String, Object> secretYaml = new Yaml().load(
                (String) at(render(EVERY_SWITCH_ON).one("Secret"), "stringData", "secret.yml"));

        assertThat(at(secretYaml, "gateway", "upstream", "api-keys"))
                .isEqualTo(List.of("upstream-key-1", "upstream-key-2"));
        assertThat(at(secretYaml, "gateway", "clients", "svc-a", "key-sha256"))
                .isEqualTo("3a9049c62b74d338ebcabad13065aa0a5435e1efdba0176c9c17a5bfa1fac5ff");
    }

    /**
     * Issue 18, item 8: without a configured secret each replica derived the upload-URL secret from its own key set,
     * so replicas either side of a key rotation refused each other's upload URLs. The chart now always gives one.
     */
    @Test
    void theSecretAlwaysCarriesOneUploadSigningSecretForEveryReplica() {
        Map<String, Object> generated = new Yaml().load(
                (String) at(render(EVERY_SWITCH_ON).one("Secret"), "stringData", "secret.yml"));
        Map<String, Object> given = new Yaml().load((String) at(render(
                "secrets:\n  upstreamApiKeys: [k]\n  uploadSigningSecret: shared-secret-0123456789\n")
                .one("Secret"), "stringData", "secret.yml"));

        assertThat((String) at(generated, "gateway", "uploads", "signing-secret")).hasSize(64)
                .isEqualTo(at(new Yaml().<Map<String, Object>>load((String) at(render(EVERY_SWITCH_ON).one("Secret"),
                        "stringData", "secret.yml")), "gateway", "uploads", "signing-secret"))
                .doesNotContain("upstream-key-1");
        assertThat(at(given, "gateway", "uploads", "signing-secret")).isEqualTo("shared-secret-0123456789");
    }

    @Test
    void existingSecretSuppressesTheSecret() {
        Rendered rendered = render(EVERY_SWITCH_ON + "existingSecret: gateway-keys\n");
        Map<String, Object> deployment = rendered.one("Deployment");

        assertThat(rendered.kinds()).doesNotContain("Secret");
        assertThat(volumes(deployment)).containsEntry("config-secret",
                Map.of("secret", Map.of("secretName", "gateway-keys")));
        assertThat(map(at(deployment, "spec", "template", "metadata", "annotations")))
                .containsKey("checksum/config").doesNotContainKey("checksum/secret");
    }

    @Test
    void prometheusRuleCarriesTheOpsAlertRules() throws IOException {
        Map<String, Object> rule = render(EVERY_SWITCH_ON).one("PrometheusRule");

        assertThat(rule).containsEntry("apiVersion", "monitoring.coreos.com/v1");
        assertThat(rule.get("spec")).isEqualTo(new Yaml().load(Files.readString(OPS_ALERTS)));
    }

    @Test
    void dashboardConfigMapCarriesTheOpsDashboard() throws IOException {
        Map<String, Object> configMap = render(EVERY_SWITCH_ON).all("ConfigMap").stream()
                .filter(candidate -> "1".equals(at(candidate, "metadata", "labels", "grafana_dashboard")))
                .findFirst().orElseThrow();
        String json = (String) at(configMap, "data", "gemini-gateway-dashboard.json");

        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(json)).isEqualTo(mapper.readTree(Files.readString(OPS_DASHBOARD)));
    }

    @Test
    void chartFilesAreIdenticalCopiesOfTheOpsOriginals() throws IOException {
        assertThat(Files.readString(CHART.resolve("files/alerts.yml"))).isEqualTo(Files.readString(OPS_ALERTS));
        assertThat(Files.readString(CHART.resolve("files/gemini-gateway-dashboard.json")))
                .isEqualTo(Files.readString(OPS_DASHBOARD));
    }

    private Rendered render(String values) {
        var template = new Helm(CHART).template().withName("gw").withNamespace("ai");
        if (values != null) {
            template = template.withValuesFile(write(values));
        }
        Iterable<Object> documents = new Yaml().loadAll(template.call());
        return new Rendered(StreamSupport.stream(documents.spliterator(), false)
                .filter(Objects::nonNull).map(HelmChartTest::map).toList());
    }

    private Path write(String values) {
        try {
            return Files.writeString(Files.createTempFile(tempDir, "values", ".yaml"), values);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> applicationYaml(Rendered rendered) {
        Map<String, Object> configMap = rendered.all("ConfigMap").stream()
                .filter(candidate -> map(candidate.get("data")).containsKey("application.yml"))
                .findFirst().orElseThrow();
        Map<String, Object> application = new Yaml().load((String) at(configMap, "data", "application.yml"));
        return map(application.get("gateway"));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        return map(list(at(deployment, "spec", "template", "spec", "containers")).get(0));
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        return list(container.get("env")).stream().map(HelmChartTest::map)
                .collect(Collectors.toMap(entry -> (String) entry.get("name"),
                        entry -> entry.get("value")));
    }

    private static Map<String, Object> volumes(Map<String, Object> deployment) {
        return list(at(deployment, "spec", "template", "spec", "volumes")).stream().map(HelmChartTest::map)
                .collect(Collectors.toMap(volume -> (String) volume.get("name"), volume -> {
                    Map<String, Object> source = new LinkedHashMap<>(volume);
                    source.remove("name");
                    return source;
                }));
    }

    private static Object at(Map<String, Object> root, String... path) {
        Object node = root;
        for (String key : path) {
            node = map(node).get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    /** The objects one {@code helm template} produced. */
    private record Rendered(List<Map<String, Object>> documents) {

        List<String> kinds() {
            return documents.stream().map(document -> (String) document.get("kind")).toList();
        }

        List<Map<String, Object>> all(String kind) {
            return documents.stream().filter(document -> kind.equals(document.get("kind"))).toList();
        }

        Map<String, Object> one(String kind) {
            List<Map<String, Object>> matches = all(kind);
            assertThat(matches).as("objects of kind %s", kind).hasSize(1);
            return matches.get(0);
        }
    }
}
